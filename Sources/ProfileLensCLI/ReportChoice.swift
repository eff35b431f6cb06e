import ProfileModel
import ProfileQuery

/// Which group and sample type a terminal report shows, and what to tell the user about the
/// choice on stderr: the other programs, a type without values, profiles without symbols.
enum ReportChoice {
    static func make(type: String?, program: String?, in set: ProfileSet) throws -> SampleTypeChoice {
        let programIndex = try chooseProgram(program, in: set)
        let choice: SampleTypeChoice
        do {
            choice = try SampleTypeChoice.choose(type, in: set, program: programIndex)
        } catch {
            throw CLIError(error.description)
        }
        let group = set.groups[choice.group]
        if !group.hasValues(choice.type) {
            let withValues = group.index.sampleTypes.indices.filter(group.hasValues).map { group.index.sampleTypes[$0].type }
            Diagnostics.warn("\(group.index.sampleTypes[choice.type].type) is zero in every sample"
                + (withValues.isEmpty ? "" : "; types with values: \(withValues.joined(separator: ", ")) (choose one with --type)"))
        }
        if !group.index.functions.contains(where: { group.index.identity(ofFunction: $0).isSymbolized }), group.index.sampleCount > 0 {
            Diagnostics.warn("the profile has no symbols (no function names): costs are shown per binary ([name]) and <unknown>")
        }
        return choice
    }

    /// The program asked for by binary name or language; the first profile's by default. When
    /// there are several, says which one is shown.
    static func chooseProgram(_ name: String?, in set: ProfileSet) throws -> Int {
        let programs = set.programs
        var chosen = 0
        if let name {
            guard let found = programs.firstIndex(where: { $0.binary == name || $0.language.lowercased() == name.lowercased() }) else {
                throw CLIError("no program named '\(name)'; the profiles are of: \(programs.map(\.description).joined(separator: ", "))")
            }
            chosen = found
        }
        if programs.count > 1 {
            let described = programs.indices.map { p in
                let count = set.groups.filter { $0.program == p }.reduce(0) { $0 + $1.members.count }
                return "\(programs[p]) with \(count) profile\(count == 1 ? "" : "s")"
            }
            Diagnostics.warn("\(programs.count) programs: \(described.joined(separator: ", ")); showing \(programs[chosen]) (choose with --program)")
        }
        return chosen
    }
}
