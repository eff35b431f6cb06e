/// The few regular expressions that google/pprof's legacy parsers match lines with, and a small
/// matcher that gives exactly the submatches Go's `regexp` gives.
///
/// Go's `regexp` picks, among the leftmost matches, the one a backtracking engine would find
/// ("leftmost-first"). This is such an engine, bounded the way Go's own backtracker
/// (`regexp/backtrack.go`) is: a (instruction, position) pair is explored at most once, so a line
/// costs at most (program length × line length) steps whatever it holds.
///
/// Patterns are written as trees (`LegacyPattern`) rather than parsed from strings; each is
/// spelled out next to the pprof regular expression it stands for. Matching is on bytes: every
/// class that accepts non-ASCII bytes (`\S`, `.`, `[^\[\]]`) is repeated and bounded by ASCII on
/// both sides in these patterns, so a byte-wise match captures what Go's rune-wise one does.
indirect enum LegacyPattern: Sendable {
    /// One byte from the set.
    case byte(ByteSet)
    case literal(String)
    case sequence([LegacyPattern])
    /// Greedy `?`, `*` and `+`.
    case optional(LegacyPattern)
    case star(LegacyPattern)
    case plus(LegacyPattern)
    /// A numbered group; groups are numbered from 1 in the order their `capture` appears.
    case capture(LegacyPattern)
    /// `^`/`\A` and `$`/`\z` (no multi-line mode: the start and end of the line).
    case start
    case end

    static func seq(_ parts: LegacyPattern...) -> LegacyPattern { .sequence(parts) }
}

/// A set of bytes, as a 256-bit mask.
struct ByteSet: Sendable {
    private var bits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    init() {}

    init(_ members: String) {
        for b in members.utf8 { insert(b) }
    }

    init(ranges: ClosedRange<UInt8>...) {
        for r in ranges { for b in r { insert(b) } }
    }

    mutating func insert(_ b: UInt8) {
        let bit = UInt64(1) << UInt64(b & 63)
        switch b >> 6 {
        case 0: bits.0 |= bit
        case 1: bits.1 |= bit
        case 2: bits.2 |= bit
        default: bits.3 |= bit
        }
    }

    @inline(__always)
    func contains(_ b: UInt8) -> Bool {
        let word: UInt64
        switch b >> 6 {
        case 0: word = bits.0
        case 1: word = bits.1
        case 2: word = bits.2
        default: word = bits.3
        }
        return word & (UInt64(1) << UInt64(b & 63)) != 0
    }

    func union(_ other: ByteSet) -> ByteSet {
        var r = self
        r.bits = (bits.0 | other.bits.0, bits.1 | other.bits.1, bits.2 | other.bits.2, bits.3 | other.bits.3)
        return r
    }

    var inverted: ByteSet {
        var r = self
        r.bits = (~bits.0, ~bits.1, ~bits.2, ~bits.3)
        return r
    }

    /// Go's Perl classes: `\d`, `\s` (`[\t\n\f\r ]`), `\w`; and the POSIX `[[:xdigit:]]`.
    static let digit = ByteSet(ranges: 0x30 ... 0x39)
    static let space = ByteSet("\t\n\u{0C}\r ")
    static let word = ByteSet(ranges: 0x30 ... 0x39, 0x41 ... 0x5A, 0x61 ... 0x7A).union(ByteSet("_"))
    static let xdigit = ByteSet(ranges: 0x30 ... 0x39, 0x41 ... 0x46, 0x61 ... 0x66)
    static let lowerHex = ByteSet(ranges: 0x30 ... 0x39, 0x61 ... 0x66)
    static let notNewline = ByteSet("\n").inverted
}

/// A compiled pattern.
struct LegacyRegex: Sendable {
    private enum Instruction: Sendable {
        case byte(ByteSet)
        /// Try `first`, then `second`.
        case split(Int, Int)
        case jump(Int)
        case save(Int)
        case assertStart
        case assertEnd
        case match
    }

    private let program: [Instruction]
    /// The number of groups, not counting group 0 (the whole match).
    let groupCount: Int

    init(_ pattern: LegacyPattern) {
        var program: [Instruction] = [.save(0)]
        var groups = 0
        Self.compile(pattern, into: &program, groups: &groups)
        program.append(.save(1))
        program.append(.match)
        self.program = program
        groupCount = groups
    }

    private static func compile(_ p: LegacyPattern, into program: inout [Instruction], groups: inout Int) {
        switch p {
        case .byte(let set):
            program.append(.byte(set))
        case .literal(let text):
            for b in text.utf8 {
                var set = ByteSet()
                set.insert(b)
                program.append(.byte(set))
            }
        case .sequence(let parts):
            for part in parts { compile(part, into: &program, groups: &groups) }
        case .optional(let body):
            let split = program.count
            program.append(.jump(0))
            compile(body, into: &program, groups: &groups)
            program[split] = .split(split + 1, program.count)
        case .star(let body):
            let split = program.count
            program.append(.jump(0))
            compile(body, into: &program, groups: &groups)
            program.append(.jump(split))
            program[split] = .split(split + 1, program.count)
        case .plus(let body):
            let top = program.count
            compile(body, into: &program, groups: &groups)
            program.append(.split(top, program.count + 1))
        case .capture(let body):
            groups += 1
            let n = groups
            program.append(.save(2 * n))
            compile(body, into: &program, groups: &groups)
            program.append(.save(2 * n + 1))
        case .start:
            program.append(.assertStart)
        case .end:
            program.append(.assertEnd)
        }
    }

    /// The leftmost-first match in `line`: the range of the whole match (group 0), then each
    /// group's range, nil for a group that took no part. Nil when nothing matches.
    func match(_ line: UnsafeBufferPointer<UInt8>) -> [Range<Int>?]? {
        let n = line.count
        let width = n + 1
        // One bit per (instruction, position); bounded by the 64 KiB line limit of the callers.
        var visited = [UInt64](repeating: 0, count: (program.count * width + 63) / 64)
        var slots = [Int](repeating: -1, count: 2 * (groupCount + 1))
        // A job is an instruction to resume at a position, or a slot to restore (pc < 0).
        var jobs: [(pc: Int, position: Int)] = []
        for start in 0 ... n {
            // Patterns anchored at the start can only match at 0.
            if start > 0, case .assertStart = program[1] { break }
            jobs.append((1, start))
            slots[0] = start
            while let job = jobs.popLast() {
                if job.pc < 0 {
                    slots[-job.pc - 1] = job.position
                    continue
                }
                var pc = job.pc
                var pos = job.position
                thread: while true {
                    let bit = pc * width + pos
                    if visited[bit >> 6] & (1 << UInt64(bit & 63)) != 0 { break thread }
                    visited[bit >> 6] |= 1 << UInt64(bit & 63)
                    switch program[pc] {
                    case .byte(let set):
                        guard pos < n, set.contains(line[pos]) else { break thread }
                        pc += 1
                        pos += 1
                    case .split(let first, let second):
                        jobs.append((second, pos))
                        pc = first
                    case .jump(let target):
                        pc = target
                    case .save(let slot):
                        jobs.append((-slot - 1, slots[slot]))
                        slots[slot] = pos
                        pc += 1
                    case .assertStart:
                        guard pos == 0 else { break thread }
                        pc += 1
                    case .assertEnd:
                        guard pos == n else { break thread }
                        pc += 1
                    case .match:
                        var result: [Range<Int>?] = []
                        for g in 0 ... groupCount {
                            let a = slots[2 * g], b = slots[2 * g + 1]
                            result.append(a >= 0 && b >= a ? a ..< b : nil)
                        }
                        return result
                    }
                }
            }
        }
        return nil
    }

    /// The captured groups as byte slices of `line` (empty for a group that took no part), or
    /// nil when nothing matches. Index 0 is the whole match.
    func groups(_ line: UnsafeBufferPointer<UInt8>) -> [UnsafeBufferPointer<UInt8>]? {
        guard let ranges = match(line) else { return nil }
        return ranges.map { UnsafeBufferPointer(rebasing: line[$0 ?? (0 ..< 0)]) }
    }

    func matches(_ line: UnsafeBufferPointer<UInt8>) -> Bool { match(line) != nil }
}
