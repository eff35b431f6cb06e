import Foundation
import Testing
import TestSupport
@testable import PprofFormat

/// Every legacy input (the corner cases of `Fixtures/legacy/inputs` and the `legacy-*` parity
/// fixtures) read as google/pprof's own parser reads it: `Fixtures/legacy/expected/NAME.txt` is
/// its reading, printed by `pprofdump` (see `make_expected.sh`): types, period, frames to drop,
/// mappings, functions, locations and samples, ids included. Where pprof fails, ProfileLens must
/// fail too (its message may differ).
@Suite struct LegacyParseParityTests {
    static var inputs: [String] {
        let fm = FileManager.default
        let variants = ((try? fm.contentsOfDirectory(atPath: Fixtures.path("legacy/inputs"))) ?? []).map { "legacy/inputs/" + $0 }
        let parity = ((try? fm.contentsOfDirectory(atPath: Fixtures.path("parity"))) ?? [])
            .filter { $0.hasPrefix("legacy-") && !$0.contains(".pprof-") }
            .map { "parity/" + $0 }
        return (variants + parity).sorted()
    }

    @Test(arguments: inputs)
    func readsAsPprofReads(_ input: String) throws {
        let stem = URL(fileURLWithPath: input).deletingPathExtension().lastPathComponent
        let expected = try String(contentsOfFile: Fixtures.path("legacy/expected/\(stem).txt"), encoding: .utf8)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Fixtures.path(input))))
        let decoded: Profile
        do {
            decoded = try ProfileParser.decode(bytes).profile
        } catch {
            #expect(expected.hasPrefix("ERROR"), "\(input): pprof reads it, ProfileLens says \(error)")
            return
        }
        #expect(!expected.hasPrefix("ERROR"), "\(input): pprof fails (\(expected.trimmingCharacters(in: .newlines))), ProfileLens reads it")
        if expected.hasPrefix("ERROR") { return }
        let ours = Self.dump(decoded)
        let theirs = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let mine = ours.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(mine == theirs, "\(input): first difference at line \((Array(zip(mine, theirs)).firstIndex { $0.0 != $0.1 } ?? min(mine.count, theirs.count)) + 1)")
    }

    /// The profile in pprofdump's words (its Go `%q`, `%#x` and `%v`).
    static func dump(_ p: Profile) -> String {
        var out = "types:" + p.sampleTypes.map { " \($0.type)/\($0.unit)" }.joined() + "\n"
        if let t = p.periodType {
            out += "period: \(t.type)/\(t.unit) \(p.period)\n"
        } else {
            out += "period: nil \(p.period)\n"
        }
        out += "duration: \(p.durationNanos)\n"
        out += "drop: \(quote(p.dropFrames))\nkeep: \(quote(p.keepFrames))\n"
        for c in p.comments { out += "comment: \(quote(c))\n" }
        for m in p.mappings {
            out += "mapping \(m.id): \(hex(m.memoryStart)) \(hex(m.memoryLimit)) \(hex(m.fileOffset)) \(quote(m.filename)) \(quote(m.buildID))\n"
        }
        // The legacy readers number functions and locations 1, 2, 3, ... in order, as pprof's
        // do: an id is its index plus one.
        let f = p.functions
        for i in 0 ..< f.count {
            out += "function \(i + 1): \(quote(p.strings[Int(f.name[i])])) \(quote(p.strings[Int(f.systemName(i))])) \(quote(p.strings[Int(f.filename[i])]))\n"
        }
        let l = p.locations
        for i in 0 ..< l.count {
            let mapping = l.mapping[i] >= 0 ? p.mappings[Int(l.mapping[i])].id : 0
            out += "location \(i + 1): \(hex(l.address[i])) m=\(mapping)"
            for k in l.lines(of: i) {
                out += " f=\(l.lineFunction[k] + 1):\(l.lineNumber[k])"
            }
            out += "\n"
        }
        let s = p.samples
        for i in 0 ..< s.count {
            out += "sample [" + s.values(of: i).map(String.init).joined(separator: " ") + "] @"
            for loc in s.stack(of: i) { out += " \(loc + 1)" }
            let bytes = s.labels(of: i).filter { p.strings[Int($0.key)] == "bytes" }.map(\.num)
            if !bytes.isEmpty { out += " bytes=[" + bytes.map(String.init).joined(separator: " ") + "]" }
            out += "\n"
        }
        return out
    }

    static func hex(_ v: UInt64) -> String { "0x" + String(v, radix: 16) }

    /// Go's `%q` for the strings these profiles hold.
    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
