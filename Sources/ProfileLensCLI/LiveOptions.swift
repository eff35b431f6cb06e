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
    /// The profiles named by URL (in argument order) and the Pyroscope query's, fetched once,
    /// together with `extra` sources (a baseline's), whose results are returned as they came so
    /// that the caller reports their failures in its own words. Fetching everything at once
    /// means a baseline endpoint or range costs no wait beyond the current one's.
    func fetchLive(type: String?, alongside extra: [LiveSource]) throws
        -> (endpoints: [LoadedProfile], pyroscope: [LoadedProfile], extra: [LiveArguments.Outcome]) {
        var sources = try LiveArguments.endpoints(profiles)
        let endpointCount = sources.count
        let query = pyroscope.pyroscopeQuery(types: type.map { [$0] } ?? [])
        if let query { sources.append(.pyroscope(query)) }
        // Files alone: nothing to fetch, and no fetch options to build (they read the whole
        // environment for Pyroscope's credentials).
        if sources.isEmpty && extra.isEmpty { return ([], [], []) }
        let outcomes = LiveFetcher.fetchAll(sources + extra, options: limits.fetchOptions, failFast: sources.count)
        let results = try LiveArguments.unwrap(outcomes.prefix(sources.count))
        let extraOutcomes = Array(outcomes.dropFirst(sources.count))
        let endpoints = results.prefix(endpointCount).flatMap { $0 }
        guard let query, let fromPyroscope = results.last, results.count > endpointCount else { return (endpoints, [], extraOutcomes) }
        if fromPyroscope.isEmpty {
            let range = (try? query.validated())?.description ?? "\(query.from) to \(query.until)"
            let types = query.types.isEmpty ? "" : " of type \(query.types.joined(separator: ", "))"
            throw CLIError("\(query.baseURL): no profiles\(types) match \(query.selector) (\(range))")
        }
        return (endpoints, fromPyroscope, extraOutcomes)
    }
}

/// Live sources on the command line: URL arguments as pprof endpoints, and fetching sources
/// together with their warnings on stderr, for the current profiles and the baseline alike.
enum LiveArguments {
    /// The endpoints among `arguments` (the http(s) URLs), in order.
    static func endpoints(_ arguments: [String]) throws -> [LiveSource] {
        var sources: [LiveSource] = []
        for url in arguments where PprofEndpoint.isURL(url) {
            do { sources.append(.endpoint(try PprofEndpoint(url))) } catch { throw CLIError(error.description) }
        }
        return sources
    }

    typealias Outcome = Result<[LoadedProfile], ProfileLoadError>

    /// Each outcome's profiles, their warnings on stderr; the first failure is the error (after `prefix`).
    static func unwrap(_ outcomes: some Sequence<Outcome>, errorPrefix prefix: String = "") throws -> [[LoadedProfile]] {
        try outcomes.map { outcome in
            switch outcome {
            case .success(let profiles):
                for profile in profiles {
                    for warning in profile.warnings { Diagnostics.warn("\(profile.path): \(warning)") }
                }
                return profiles
            case .failure(let error):
                throw CLIError(prefix + error.description)
            }
        }
    }
}
