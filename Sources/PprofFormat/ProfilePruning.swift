/// pprof's pruning of uninteresting frames (`RemoveUninteresting`, `Prune`): profiles written
/// by C++ profilers name their allocator and lock frames in `drop_frames` (a regular
/// expression), and `go tool pprof` cuts samples above the first such frame under the program's
/// own code, so that an allocation is charged to the code that asked for it, not to `malloc`.
extension Profile {
    /// The profile with `drop_frames` applied (nil when it names none), or the reason it could
    /// not be applied. `functionName(f)` is the name pprof matches for function index `f`
    /// (after its demangling step).
    public func removingUninterestingFrames(functionName: (Int) -> String) -> (profile: Profile?, warning: String?) {
        guard !dropFrames.isEmpty else { return (nil, nil) }
        let drop: Regex<AnyRegexOutput>
        var keep: Regex<AnyRegexOutput>?
        do {
            drop = try Regex("^(" + dropFrames + ")$")
            if !keepFrames.isEmpty { keep = try Regex("^(" + keepFrames + ")$") }
        } catch {
            return (nil, "drop_frames/keep_frames is not a regular expression here (\(error)); frames are not pruned")
        }
        func isDropped(_ name: String) -> Bool {
            let simple = Self.simplifiedName(name)
            guard (try? drop.wholeMatch(in: simple)) != nil else { return false }
            return keep.map { (try? $0.wholeMatch(in: simple)) == nil } ?? true
        }

        // Locations: a match on the outermost line prunes the whole location; a match inside
        // keeps only the lines outside it ("prune beneath").
        var pruned = self
        var newLocations = locations
        newLocations.lineStart = [0]
        newLocations.lineFunction = []
        newLocations.lineNumber = []
        var prune = [Bool](repeating: false, count: locations.count)
        var pruneBeneath = prune
        for l in 0 ..< locations.count {
            var lines = locations.lines(of: l)
            if let match = lines.reversed().first(where: { e in
                let f = Int(locations.lineFunction[e])
                return f >= 0 && !functionName(f).isEmpty && isDropped(functionName(f))
            }) {
                pruneBeneath[l] = true
                if match == lines.upperBound - 1 { prune[l] = true } else { lines = (match + 1) ..< lines.upperBound }
            }
            for e in lines {
                newLocations.lineFunction.append(locations.lineFunction[e])
                newLocations.lineNumber.append(locations.lineNumber[e])
            }
            newLocations.lineStart.append(Int32(newLocations.lineFunction.count))
        }
        pruned.locations = newLocations

        // Samples: from the root, past the frames before the program's first own frame, cut at
        // the first pruned location (with it) or prune-beneath location (keeping it).
        var newSamples = samples
        var kept: [Range<Int>] = []
        newSamples.locationStart = [0]
        for s in 0 ..< samples.count {
            let stack = samples.stack(of: s)
            var keptFrom = stack.startIndex
            var foundUser = false
            for position in stack.indices.reversed() {
                let l = Int(stack[position])
                if !prune[l] && !pruneBeneath[l] {
                    foundUser = true
                    continue
                }
                guard foundUser else { continue }
                keptFrom = prune[l] ? position + 1 : position
                break
            }
            kept.append(keptFrom ..< stack.endIndex)
            newSamples.locationStart.append(newSamples.locationStart[newSamples.locationStart.count - 1] + stack.endIndex - keptFrom)
        }
        // The locations keep their indices (pruning only drops lines), so the stacks their width.
        newSamples.stacks = samples.stacks.gathering(kept)
        pruned.samples = newSamples
        return (pruned, nil)
    }

    /// pprof's `simplifyFunc`: no leading `.` (PPC ELF v1), and no argument list: cut at the
    /// first `(` that does not start `(anonymous namespace)` or belong to `operator()`.
    static func simplifiedName(_ name: String) -> String {
        var text = Substring(name)
        if text.hasPrefix(".") { text = text.dropFirst() }
        var i = text.startIndex
        while i < text.endIndex {
            let rest = text[i...]
            if let reserved = ["(anonymous namespace)", "operator()"].first(where: { rest.hasPrefix($0) }) {
                i = text.index(i, offsetBy: reserved.count)
                continue
            }
            if text[i] == "(" { return String(text[..<i]) }
            i = text.index(after: i)
        }
        return String(text)
    }
}
