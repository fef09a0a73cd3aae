import ArgumentParser
import Foundation

/// The options of every staff command: which server and token, from `--profile`, `CDS_SERVER` / `CDS_TOKEN`, or the
/// profile `cds-admin login` made current.
struct StaffOptions: ParsableArguments {
    @Option(help: "The profile to use (see `cds-admin login --profile`); default: the last one logged in, or CDS_PROFILE.")
    var profile: String?

    /// The server and token: `CDS_SERVER` and `CDS_TOKEN` win over the profile, each on its own.
    func target(_ environment: [String: String] = StaffEnvironment.current) throws -> (server: String, token: String) {
        let contents = try ProfileStore.standard(environment).load()
        let name = profile ?? environment["CDS_PROFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? contents.current
        if let profile, contents.profiles[profile] == nil {
            throw AdminError.usage("there is no profile '\(profile)': log in with `cds-admin login --server URL --profile \(profile)`")
        }
        let stored = name.flatMap { contents.profiles[$0] }
        guard let server = environment["CDS_SERVER"].flatMap({ $0.isEmpty ? nil : $0 }) ?? stored?.server else {
            throw AdminError.usage("no server: log in with `cds-admin login --server URL`, or set CDS_SERVER and CDS_TOKEN")
        }
        guard let token = environment["CDS_TOKEN"].flatMap({ $0.isEmpty ? nil : $0 }) ?? stored?.token else {
            throw AdminError.usage("no token for \(server): log in with `cds-admin login --server \(server)`, or set CDS_TOKEN")
        }
        return (server, token)
    }

    /// A client of the chosen server.
    func client() throws -> AdminClient {
        let (server, token) = try target()
        return try AdminClient(server: server, token: token)
    }
}
