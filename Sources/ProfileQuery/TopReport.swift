import Foundation
import PprofFormat
import ProfileModel

/// The hottest functions for one sample type, as `go tool pprof -top` lists them: the same
/// header, rows, order, unit and percentages, with each function's file and line added.
public struct TopReport: Sendable, Encodable {
    public struct Row: Sendable, Encodable {
        public let function: String
        public let flat: Int64
        public let cum: Int64
        public let file: String
        public let line: Int64
        /// `inline` or `partial-inline` when every (or some) call into the function that the
        /// report shows was inlined; nil otherwise.
        public let inline: String?
    }

    /// What `pprof -top` prints above the table, from the profiles.
    public struct Header: Sendable, Encodable {
        /// The main binary (mapping 0) and its build id, when the profile names them.
        public var file: String?
        public var buildID: String?
        public var comments: [String]
        public var timeNanos: Int64
        public var durationNanos: Int64

        public init(file: String? = nil, buildID: String? = nil, comments: [String] = [], timeNanos: Int64 = 0, durationNanos: Int64 = 0) {
            self.file = file
            self.buildID = buildID
            self.comments = comments
            self.timeNanos = timeNanos
            self.durationNanos = durationNanos
        }

        /// The header of a group's profiles, merged as pprof merges profiles: the first one's
        /// binary, every comment once, the earliest time, the summed durations.
        public init(_ group: ProfileSet.Group) {
            let first = group.members.first
            let binary = first.map { FunctionIdentity.baseName($0.mainBinaryFile) } ?? ""
            file = binary.isEmpty ? nil : binary
            buildID = first?.mainBinaryBuildID
            comments = []
            timeNanos = 0
            durationNanos = 0
            for member in group.members {
                for comment in member.comments where !comments.contains(comment) { comments.append(comment) }
                if member.timeNanos != 0 && (timeNanos == 0 || member.timeNanos < timeNanos) { timeNanos = member.timeNanos }
                durationNanos &+= member.durationNanos
            }
        }
    }

    public let sampleType: String
    public let unit: String
    /// The report's unit: every value is written in it (pprof's `-unit=minimum` rule).
    public let outputUnit: String
    /// Σ|value|: what the percentages are of.
    public let total: Int64
    /// How many functions have a cost; `rows` holds the first `limit` of them.
    public let functionCount: Int
    public let rows: [Row]
    public let header: Header

    /// Functions sorted as pprof sorts them (|flat|, name, |cum|); at most `limit` of them
    /// (0: all). `markers` gives the inline markers of the rows kept, which depend on which
    /// rows are kept (see `InlineMarkers`).
    public init(index: CostIndex, type: Int, limit: Int, header: Header = Header(),
                markers: ([FunctionIdentity]) -> [FunctionIdentity: InlineMarker] = { _ in [:] }) {
        sampleType = index.sampleTypes[type].type
        unit = index.sampleTypes[type].unit
        total = index.percentTotal(type: type)
        self.header = header
        functionCount = index.rowCount(type: type)
        let kept = index.topRows(type: type, limit: limit > 0 ? limit : .max)
        let marks = markers(kept.map(\.identity))
        rows = kept.map { row in
            let file = row.function.flatMap(index.file(ofFunction:)).map(index.fileName) ?? ""
            return Row(function: row.name, flat: row.flat, cum: row.cum, file: file,
                       line: row.function.map(index.startLine(ofFunction:)) ?? 0, inline: marks[row.identity]?.rawValue)
        }
        let smallest = kept.map { $0.flat != 0 ? $0.flat.magnitude : $0.cum.magnitude }.filter { $0 != 0 }.min() ?? 0
        outputUnit = kept.isEmpty ? "minimum" : ValueFormat.reportUnit(smallest: Int64(clamping: smallest), total: total, unit: unit)
    }

    /// The report of one group of a profile set, computed from its profiles as pprof computes
    /// it, in an index of functions of its own: `drop_frames` applied (the group's index of lines
    /// ignores them, as the oracle does), the inline marks from the rows kept. Returns what
    /// could not be done as warnings.
    public static func of(_ group: ProfileSet.Group, profiles: [Profile], weights: [Int64]? = nil, type: Int,
                          limit: Int) -> (report: TopReport, warnings: [String]) {
        var warnings: [String] = []
        var profiles = profiles
        if profiles.contains(where: { !$0.dropFrames.isEmpty }) {
            profiles = profiles.map { profile in
                let (pruned, warning) = profile.prunedForTop()
                if let warning { warnings.append(warning) }
                return pruned ?? profile
            }
        }
        // Functions only: `top` shows no lines, and an index of lines costs several times more.
        let index = warnings.isEmpty && !profiles.contains(where: { !$0.dropFrames.isEmpty }) && group.index.hasRowFrames
            ? group.index : CostIndex.build(profiles, weights: weights, detail: .functions)
        let sampleType = group.index.sampleTypes[type]
        let topType = index.sampleTypes.firstIndex(of: sampleType) ?? type
        let report = TopReport(index: index, type: topType, limit: limit, header: Header(group)) { kept in
            InlineMarkers.compute(index: index, profiles: profiles, type: sampleType, kept: kept)
        }
        return (report, warnings)
    }

    /// The table, with pprof's header and columns, and each function's file and line after it.
    public func text() -> String {
        func value(_ v: Int64) -> String { ValueFormat.label(v, from: unit, to: outputUnit) }
        var out = ""
        if let file = header.file, !file.isEmpty { out += "File: \(file)\n" }
        if let id = header.buildID, !id.isEmpty { out += "Build ID: \(id)\n" }
        for comment in header.comments where !comment.hasPrefix("#") { out += comment + "\n" }
        if !sampleType.isEmpty { out += "Type: \(sampleType)\n" }
        if header.timeNanos != 0 { out += "Time: \(Self.timeText(header.timeNanos))\n" }
        if header.durationNanos != 0 {
            var line = "Duration: \(ValueFormat.label(header.durationNanos, from: "nanoseconds", to: "auto")), Total samples = \(value(total)) "
            if ValueFormat.isTimeUnit(unit) {
                let nanoseconds = Int64(ValueFormat.scale(total, from: unit, to: "ns").0)
                line += "(" + ValueFormat.pprofPercent(nanoseconds, of: header.durationNanos) + ")"
            }
            out += line + "\n"
        }
        let shown = rows.reduce(Int64(0)) { $0 &+ $1.flat }
        out += "Showing nodes accounting for \(value(shown)), \(ValueFormat.pprofPercent(shown, of: total).drop(while: { $0 == " " })) of \(value(total)) total\n"
        if total != 0, !rows.isEmpty, rows.count < functionCount {
            out += "Showing top \(rows.count) nodes out of \(functionCount)\n"
        }
        out += TextColumns.pad("flat", 10) + " " + TextColumns.pad("flat", 5) + "% " + TextColumns.pad("sum", 5) + "% "
            + TextColumns.pad("cum", 10) + " " + TextColumns.pad("cum", 5) + "%\n"
        var sum: Int64 = 0
        for row in rows {
            sum &+= row.flat
            let marker = row.inline.map { " (\($0))" } ?? ""
            let location = row.file.isEmpty ? "" : "  " + row.file + (row.line > 0 ? ":\(row.line)" : "")
            out += TextColumns.pad(value(row.flat), 10) + " " + ValueFormat.pprofPercent(row.flat, of: total) + " "
                + ValueFormat.pprofPercent(sum, of: total) + " " + TextColumns.pad(value(row.cum), 10) + " "
                + ValueFormat.pprofPercent(row.cum, of: total) + "  " + row.function + marker + location + "\n"
        }
        return out
    }

    /// pprof's `Jan 2, 2006 at 3:04pm (MST)`, in the local time zone. Written from the C
    /// library's broken-down time: a `DateFormatter` would load ICU's calendar data, megabytes
    /// of memory for one line.
    static func timeText(_ nanoseconds: Int64) -> String {
        var seconds = time_t(nanoseconds / 1_000_000_000)
        if nanoseconds < 0 && nanoseconds % 1_000_000_000 != 0 { seconds -= 1 }
        var parts = tm()
        guard localtime_r(&seconds, &parts) != nil else { return "" }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let month = months[Int(min(max(parts.tm_mon, 0), 11))]
        let hour = Int(parts.tm_hour) % 12 == 0 ? 12 : Int(parts.tm_hour) % 12
        let minute = parts.tm_min < 10 ? "0\(parts.tm_min)" : "\(parts.tm_min)"
        let zone = parts.tm_zone.map { String(cString: $0) } ?? ""
        return "\(month) \(parts.tm_mday), \(Int(parts.tm_year) + 1900) at \(hour):\(minute)\(parts.tm_hour < 12 ? "am" : "pm") (\(zone))"
    }
}
