extension Profile {
    /// The profile with each sample type's values multiplied by its ratio, rounded, as pprof's
    /// `ScaleN` scales them; samples whose scaled values are all zero are dropped.
    public func scalingValues(by ratios: [Double]) -> Profile {
        guard ratios.count == sampleTypes.count, ratios.contains(where: { $0 != 1 }) else { return self }
        var scaled = self
        var table = SampleTable()
        table.valuesPerSample = samples.valuesPerSample
        table.locationStart = [0]
        table.labelStart = [0]
        var kept: [Range<Int>] = []
        for s in 0 ..< samples.count {
            var values = Array(samples.values(of: s))
            for (t, ratio) in ratios.enumerated() where ratio != 1 {
                let product = (Double(values[t]) * ratio).rounded()
                // A ratio from hostile totals can overflow: saturate rather than trap.
                values[t] = product >= 9.2e18 ? .max : product <= -9.2e18 ? .min : Int64(product)
            }
            // A sample is kept while any of its values, scaled or not, is not zero.
            guard values.contains(where: { $0 != 0 }) else { continue }
            table.values.append(contentsOf: values)
            let stack = samples.stack(of: s)
            kept.append(stack.startIndex ..< stack.endIndex)
            table.locationStart.append(table.locationStart[table.locationStart.count - 1] + stack.count)
            table.labels.append(contentsOf: samples.labels(of: s))
            table.labelStart.append(table.labels.count)
        }
        if table.labels.isEmpty { table.labelStart = [] }
        table.stacks = samples.stacks.gathering(kept)
        scaled.samples = table
        return scaled
    }
}
