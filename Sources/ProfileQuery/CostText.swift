import ProfileModel

/// The words an editor shows for costs: hover text, code lens titles, inlay hints.
///
/// Values are formatted as `go tool pprof` formats them (`ValueFormat.scaled`), so that a hover
/// says `230ms self · 960ms total` exactly where `pprof -list` prints `230ms 960ms`.
public enum CostText {
    /// One kind's costs in one line: `CPU 230ms self · 960ms total (89.7%)`,
    /// `Alloc 5.92MB self · 6.67MB total (20.6%) · 151,351 objects`,
    /// `Mutex delay 3.54ms total (94.2%) · 2 contentions`, `Goroutines 3 total (50.0%)`.
    ///
    /// In a comparison the change follows: `… · +120ms (+14%) vs baseline`, `… · new`,
    /// `CPU gone (was 120ms)`, or in `share` mode `… · +3.2pp vs baseline (12.0% before)`.
    public static func summary(_ cost: KindCost, bold: Bool = false, mode: DiffMode = .absolute) -> String {
        let title = bold ? "**\(titleOf(cost.kind))**" : titleOf(cost.kind)
        if let primary = cost.primary, primary.isGone {
            return title + " gone (was \(scaled(primary.baseline?.cum ?? 0, primary)))"
        }
        var parts: [String] = []
        if let value = cost.value {
            parts.append(selfAndTotal(value))
            if let count = cost.count, showsCount(cost.kind), count.cum != 0 {
                parts.append("\(ValueFormat.count(count.cum)) \(countNoun(cost.kind, count.cum))")
            }
        } else if let count = cost.count {
            parts.append(selfAndTotal(count))
        }
        if let primary = cost.primary, let change = change(primary, mode: mode) { parts.append(change) }
        return title + " " + parts.joined(separator: " · ")
    }

    /// How a measure moved against the baseline: the signed change of its total with the
    /// relative change, `new` when the baseline had none, or the change of its share in
    /// percentage points. `unit` writes the change in one unit (a lens, like `top`'s rows).
    public static func change(_ measure: MeasureCost, mode: DiffMode = .absolute, unit: String? = nil) -> String? {
        guard let baseline = measure.baseline else { return nil }
        // A lens writes the change of a new function too, in `top`'s unit, like `top`'s row.
        if measure.isNew { return unit == nil || mode == .share ? "new" : "new (\(signed(measure.cum, measure, unit: unit)))" }
        if measure.isGone { return "gone (was \(scaled(baseline.cum, measure)))" }
        switch mode {
        case .share:
            let before = baseline.total == 0 ? 0 : Double(baseline.cum) / Double(baseline.total) * 100
            return signedPoints(measure.shareChange ?? 0) + " vs baseline (" + percentText(before) + " before)"
        case .absolute:
            let delta = measure.cum &- baseline.cum
            if delta == 0 { return "unchanged vs baseline" }
            var text = signed(delta, measure, unit: unit)
            if baseline.cum != 0 {
                text += " (" + signedPercent(Double(delta) / Double(baseline.cum.magnitude) * 100) + ")"
            }
            return text + " vs baseline"
        }
    }

    /// A value with its sign: `+120ms`, `-1.50s`.
    static func signed(_ value: Int64, _ measure: MeasureCost, unit: String? = nil) -> String {
        let text = unit.map { ValueFormat.label(value, from: measure.unit, to: $0) } ?? scaled(value, measure)
        return value > 0 ? "+" + text : text
    }

    static func signedPercent(_ percent: Double) -> String {
        (percent > 0 ? "+" : "") + PrintfNumber.string(abs(percent) >= 10 ? "%.0f%%" : "%.1f%%", percent)
    }

    static func signedPoints(_ points: Double) -> String {
        (points > 0 ? "+" : "") + PrintfNumber.string("%.1fpp", points)
    }

    static func percentText(_ percent: Double) -> String {
        PrintfNumber.string("%.1f%%", percent)
    }

    /// The hover over a line: each kind's costs, the function's totals when the line declares
    /// one, where the numbers come from, and a warning when the file is newer than the profiles.
    public static func hover(line: LineCost?, function: FunctionCost?, sources: [String], staleNote: String?,
                             markdown: Bool, mode: DiffMode = .absolute) -> String {
        var blocks: [String] = []
        if let line {
            blocks.append(line.costs.map { summary($0, bold: markdown, mode: mode) }.joined(separator: markdown ? "  \n" : "\n"))
        }
        if let function {
            let name = markdown ? "**\(function.name)**" : function.name
            let rows = function.costs.map { summary($0, mode: mode) }
            blocks.append("\(name) (whole function)" + (markdown ? "  \n" : "\n") + rows.joined(separator: markdown ? "  \n" : "\n"))
        }
        if !sources.isEmpty {
            let list = sources.joined(separator: ", ")
            blocks.append(markdown ? "_from \(list)_" : "from \(list)")
        }
        if let staleNote {
            blocks.append("⚠ " + staleNote)
        }
        return blocks.joined(separator: "\n\n")
    }

    /// A code lens title: the first kind with its share, then the others' totals:
    /// `CPU 960ms (89.7%) · alloc 6.67MB · lock 3.54ms`.
    /// In a comparison the first kind's change follows, in `changeUnit` (`top`'s unit):
    /// `CPU 1.52s (100%) · +0.24s vs baseline`.
    public static func lens(_ function: FunctionCost, first kind: CostKind?, mode: DiffMode = .absolute,
                            changeUnit: (CostKind) -> String? = { _ in nil }) -> String {
        let ordered = function.costs.sorted { a, b in
            if a.kind == kind { return b.kind != kind }
            if b.kind == kind { return false }
            return a.kind < b.kind
        }
        var parts: [String] = []
        for (i, cost) in ordered.enumerated() {
            guard let measure = cost.primary else { continue }
            let amount = scaled(measure.cum, measure)
            if i == 0 {
                if measure.isGone {
                    parts.append("\(titleOf(cost.kind)) gone (was \(scaled(measure.baseline?.cum ?? 0, measure)))")
                    continue
                }
                parts.append("\(titleOf(cost.kind)) \(amount) (\(ValueFormat.percent(measure.cum, of: measure.total)))")
                if let change = change(measure, mode: mode, unit: changeUnit(cost.kind)) { parts.append(change) }
            } else {
                parts.append("\(shortName(cost.kind)) \(amount)")
            }
        }
        return parts.joined(separator: " · ")
    }

    /// An inlay hint at the end of a line: self │ total of one kind, `.` for nothing (as in
    /// `pprof -list`): `230ms │ 960ms`, `. │ 10.73s`.
    ///
    /// In a comparison: the signed change of the line's total, `Δ -70ms`, `Δ +3.2pp`, `new 240ms`,
    /// `gone`.
    public static func hint(_ cost: KindCost, mode: DiffMode = .absolute) -> String? {
        guard let measure = cost.primary else { return nil }
        if let baseline = measure.baseline {
            if measure.isNew { return "new \(scaled(measure.cum, measure))" }
            if measure.isGone { return "gone" }
            switch mode {
            case .share: return "Δ " + signedPoints(measure.shareChange ?? 0)
            case .absolute:
                let delta = measure.cum &- baseline.cum
                return delta == 0 ? "Δ 0" : "Δ " + signed(delta, measure)
            }
        }
        let flat = measure.flat == 0 ? "." : scaled(measure.flat, measure)
        return "\(flat) │ \(scaled(measure.cum, measure))"
    }

    /// A place's values over a series, for a hover: `In-use ▁▂▃▅▆█ 426.97kB → 5.20MB over 4.51s · growing`;
    /// for a count since the process started, what each interval added and the sum, which a
    /// restart does not break: `Alloc ▃▃▄▃ +1.75MB over 4.51s`.
    public static func trend(_ values: SeriesValues) -> String {
        let span = ValueFormat.label(values.span, from: "nanoseconds", to: "auto")
        let measure = MeasureCost(flat: 0, cum: 0, total: 0, unit: values.unit, sampleType: "")
        if let steps = values.totalIntervals {
            return "\(titleOf(values.kind)) \(Sparkline.of(steps)) \(signed(values.growth, measure)) over \(span)"
                + (values.trend.isGrowing ? " · growing" : "")
        }
        return "\(titleOf(values.kind)) \(Sparkline.of(values.totals)) \(scaled(values.totals.first ?? 0, measure)) → "
            + "\(scaled(values.totals.last ?? 0, measure)) over \(span)" + (values.trend.isGrowing ? " · growing" : "")
    }

    /// A steadily growing function's trend, for its lens: `In-use +4.77MB over 4.51s · growing`.
    public static func growing(_ values: SeriesValues) -> String? {
        guard values.trend.isGrowing else { return nil }
        let span = ValueFormat.label(values.span, from: "nanoseconds", to: "auto")
        let measure = MeasureCost(flat: 0, cum: 0, total: 0, unit: values.unit, sampleType: "")
        return "\(titleOf(values.kind)) \(signed(values.growth, measure)) over \(span) · growing"
    }

    public static func titleOf(_ kind: CostKind) -> String {
        switch kind {
        case .mutex: return "Mutex delay"
        case .block: return "Block delay"
        default: return kind.title
        }
    }

    /// Short names for the secondary kinds of a lens.
    static func shortName(_ kind: CostKind) -> String {
        switch kind {
        case .cpu: return "cpu"
        case .wall: return "wall"
        case .alloc: return "alloc"
        case .inuse: return "inuse"
        case .mutex: return "lock"
        case .block: return "block"
        case .goroutine: return "goroutines"
        case .exception: return "exceptions"
        default: return kind.id
        }
    }

    static func countNoun(_ kind: CostKind, _ count: Int64) -> String {
        let noun: String
        switch kind {
        case .alloc, .inuse: noun = "objects"
        case .mutex, .block: noun = "contentions"
        case .goroutine: noun = "goroutines"
        case .exception: noun = "exceptions"
        default: noun = "samples"
        }
        return count == 1 ? String(noun.dropLast()) : noun
    }

    /// Sample counts say nothing that CPU or wall time does not; other counts add information.
    static func showsCount(_ kind: CostKind) -> Bool {
        kind != .cpu && kind != .wall
    }

    static func selfAndTotal(_ measure: MeasureCost) -> String {
        let total = "\(scaled(measure.cum, measure)) total (\(ValueFormat.percent(measure.cum, of: measure.total)))"
        return measure.flat == 0 ? total : "\(scaled(measure.flat, measure)) self · " + total
    }

    static func scaled(_ value: Int64, _ measure: MeasureCost) -> String {
        let unit = measure.unit.lowercased()
        if unit == "count" || unit.isEmpty || unit == "samples" || unit == "objects" {
            return ValueFormat.count(value)
        }
        return ValueFormat.scaled(value, unit: measure.unit)
    }
}
