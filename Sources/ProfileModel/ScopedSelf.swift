import PprofFormat

/// Where in the user's own code each sample's cost lands: its value counted at the sample's
/// deepest frame in a file of the scope (the workspace, or one document).
///
/// A function's self cost answers "where is the time spent"; in a block or mutex profile it is
/// almost all in the runtime (`runtime.chanrecv1`, `sync.(*Mutex).Lock`), and in a heap profile
/// in the standard library, so the workspace function with the most self cost can be one with a
/// few milliseconds while a channel receive of the user's waits for seconds. Counting each
/// sample at its deepest frame in scope answers "which of my lines led to it": the wait in
/// `runtime.chanrecv1` counts at `pipeline.go:12`, where the user's code receives.
public enum ScopedSelf {
    /// A line of the scope and the cost that lands there.
    public struct Line: Sendable, Equatable {
        /// The file as the indexes know it (mapped to the workspace when it was found).
        public let file: String
        public let line: Int64
        /// The function of the frame (the innermost inlined one at that line).
        public let function: String
        public let value: Int64
    }

    /// The lines of the scope with a cost of `sampleType`, summed over `profiles` (each value
    /// multiplied by its profile's weight), in no order. `fileName` names a profile's file as the
    /// indexes know it; `inScope` says whether such a file is the user's.
    public static func lines(_ profiles: [Profile], weights: [Int64], sampleType: ValueType,
                             fileName: (String) -> String, inScope: (String) -> Bool) -> [Line] {
        var keys = Interner()
        var values: [Int64] = []
        for (p, profile) in profiles.enumerated() {
            guard let type = profile.sampleTypes.firstIndex(of: sampleType) else { continue }
            let weight = p < weights.count ? weights[p] : 1
            let deepest = deepestFrames(profile, fileName: fileName, inScope: inScope, keys: &keys)
            if values.count < keys.lines.count { values += [Int64](repeating: 0, count: keys.lines.count - values.count) }
            let samples = profile.samples
            for s in 0 ..< samples.count {
                let value = samples.values[s * samples.valuesPerSample + type]
                guard value != 0 else { continue }
                for location in samples.stack(of: s) {
                    let key = deepest[Int(location)]
                    if key >= 0 {
                        values[Int(key)] &+= value &* weight
                        break
                    }
                }
            }
        }
        return keys.lines.indices.compactMap { k in
            values[k] == 0 ? nil : Line(file: keys.lines[k].file, line: keys.lines[k].line, function: keys.lines[k].function, value: values[k])
        }
    }

    /// The distinct (file, line, function) frames in scope, numbered in order of appearance.
    private struct Interner {
        struct Frame: Hashable {
            let file: String
            let line: Int64
            let function: String
        }
        var lines: [Frame] = []
        var numbers: [Frame: Int32] = [:]

        mutating func number(_ frame: Frame) -> Int32 {
            if let known = numbers[frame] { return known }
            numbers[frame] = Int32(lines.count)
            lines.append(frame)
            return Int32(lines.count - 1)
        }
    }

    /// Per location: the number of its innermost line in scope, or -1 when none of its lines is.
    private static func deepestFrames(_ profile: Profile, fileName: (String) -> String, inScope: (String) -> Bool,
                                      keys: inout Interner) -> [Int32] {
        let locations = profile.locations
        let functions = profile.functions
        let strings = profile.strings
        // A file name string is mapped and judged once.
        var scopedFile: [UInt32: String?] = [:]
        var result = [Int32](repeating: -1, count: locations.count)
        for l in 0 ..< locations.count {
            for e in locations.lines(of: l) {
                // A frame without a line cannot be shown; its caller's line can.
                let f = Int(locations.lineFunction[e])
                guard f >= 0, locations.lineNumber[e] > 0, locations.lineNumber[e] <= Int64(Int32.max) else { continue }
                let nameIndex = functions.filename[f]
                let file: String?
                if let known = scopedFile[nameIndex] {
                    file = known
                } else {
                    let mapped = fileName(strings[Int(nameIndex)])
                    file = inScope(mapped) ? mapped : nil
                    scopedFile[nameIndex] = file
                }
                guard let file else { continue }
                result[l] = keys.number(Interner.Frame(file: file, line: locations.lineNumber[e],
                                                       function: strings[Int(functions.name[f])]))
                break
            }
        }
        return result
    }
}
