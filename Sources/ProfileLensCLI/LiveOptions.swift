import ArgumentParser
import PprofFormat
import RemoteProfiles

/// `--pyroscope URL --query SELECTOR [--tenant ID] [--from T] [--until T]`: a Grafana Pyroscope
/// query, on every command. Credentials come only from the environment
/// (`PROFILELENS_PYROSCOPE_TOKEN`, `..._USERNAME` + `..._PASSWORD`, or profilecli's `PROFILECLI_*`).
struct PyroscopeOptions: ParsableArguments {
    @Option(name: .customLong("pyroscope"), help: ArgumentHelp(
        "A Grafana Pyroscope server's base URL (a path prefix is kept, as in Grafana's data-source proxy URLs).",
        valueName: "url"))
    var url: String?

    @Option(name: .long, help: ArgumentHelp("The Pyroscope label selector: '{service_name=\"checkout\"}'.", valueName: "selector"))
    var query: String?

    @Option(name: .long, help: ArgumentHelp("The Pyroscope tenant (X-Scope-OrgID); default $PROFILECLI_TENANT_ID.", valueName: "id"))
    var tenant: String?

    @Option(name: .long, help: ArgumentHelp("Start of the Pyroscope range: now-1h (default), now-30m, RFC 3339, or epoch milliseconds.", valueName: "time"))
    var from: String = "now-1h"

    @Option(name: .long, help: ArgumentHelp("End of the Pyroscope range: now (default), now-10m, RFC 3339, or epoch milliseconds.", valueName: "time"))
    var until: String = "now"

    @Option(name: .long, help: ArgumentHelp("Split the Pyroscope range into steps (5m, 1h): one merged profile per step, the points of a series (for growth).", valueName: "duration"))
    var step: String?

    func validate() throws {
        if url != nil, query == nil { throw ValidationError("--pyroscope needs --query '{service_name=\"...\"}'") }
        if url == nil, query != nil || tenant != nil || step != nil { throw ValidationError("--query, --tenant and --step need --pyroscope URL") }
        if let query = pyroscopeQuery(types: []) {
            do { _ = try query.validated() } catch { throw ValidationError(error.message) }
        }
    }

    /// The query, restricted to `types` (kinds, sample types or type ids), when `--pyroscope` is given.
    func pyroscopeQuery(types: [String]) -> PyroscopeQuery? {
        guard let url, let query else { return nil }
        return PyroscopeQuery(url: url, selector: query, tenant: tenant, from: from, until: until, types: types, step: step)
    }
}

extension ProfileInputOptions {
    /// The profiles named by URL and the Pyroscope query, fetched once: one entry per URL
    /// argument (by its position among `profiles`), and the query's profiles last.
    func fetchLive(type: String?) throws -> (byArgument: [Int: [LoadedProfile]], pyroscope: [LoadedProfile]) {
        var sources: [LiveSource] = []
        var positions: [Int] = []
        for (i, argument) in profiles.enumerated() where PprofEndpoint.isURL(argument) {
            do { sources.append(.endpoint(try PprofEndpoint(argument))) } catch { throw CLIError(error.description) }
            positions.append(i)
        }
        let query = pyroscope.pyroscopeQuery(types: type.map { [$0] } ?? [])
        if let query { sources.append(.pyroscope(query)) }
        guard !sources.isEmpty else { return ([:], []) }
        let results = LiveFetcher.fetchAll(sources, options: FetchOptions(maxBytes: limits.maxDecompressedMiB << 20))
        var byArgument: [Int: [LoadedProfile]] = [:]
        var fromPyroscope: [LoadedProfile] = []
        for (i, result) in results.enumerated() {
            let profiles: [LoadedProfile]
            switch result {
            case .success(let fetched): profiles = fetched
            case .failure(let error): throw CLIError(error.description)
            }
            for profile in profiles {
                for warning in profile.warnings { Diagnostics.warn("\(profile.path): \(warning)") }
            }
            if i < positions.count {
                byArgument[positions[i]] = profiles
            } else if let query {
                if profiles.isEmpty {
                    let range = (try? query.validated())?.description ?? "\(query.from) to \(query.until)"
                    let types = query.types.isEmpty ? "" : " of type \(query.types.joined(separator: ", "))"
                    throw CLIError("\(query.baseURL): no profiles\(types) match \(query.selector) (\(range))")
                }
                fromPyroscope = profiles
            }
        }
        return (byArgument, fromPyroscope)
    }
}
