import CDSDatabase
import Foundation

/// A Citus cluster that `ops/citus/cluster start DIRECTORY` brought up, for the suites that prove the registry on it:
/// `CDS_TEST_CITUS_ENV` names the cluster's `DIRECTORY/env`. Unset, those suites are skipped.
public struct CitusTestCluster: Sendable {
    /// The coordinator as `cds_app`.
    public let application: DatabaseEndpoint
    /// The coordinator as `cds_owner`.
    public let owner: DatabaseEndpoint

    /// The cluster named by `CDS_TEST_CITUS_ENV`, or nil.
    public static let current: CitusTestCluster? = {
        guard let path = ProcessInfo.processInfo.environment["CDS_TEST_CITUS_ENV"], !path.isEmpty else { return nil }
        do {
            let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
            let settings = Dictionary(
                lines.compactMap { line in line.firstIndex(of: "=").map { (String(line[..<$0]), String(line[line.index(after: $0)...])) } },
                uniquingKeysWith: { _, last in last }
            )
            return CitusTestCluster(
                application: try DatabaseEndpoint(url: settings["CDS_DATABASE_URL"] ?? ""),
                owner: try DatabaseEndpoint(url: settings["CDS_DATABASE_OWNER_URL"] ?? "")
            )
        } catch {
            fatalError("CDS_TEST_CITUS_ENV=\(path) does not hold the cluster's CDS_DATABASE_URL and CDS_DATABASE_OWNER_URL: \(error)")
        }
    }()

    /// Runs `body` with pools on the coordinator as `cds_app` and as `cds_owner`.
    public func withPools<Result: Sendable>(_ body: (_ application: Database, _ owner: Database) async throws -> Result) async throws -> Result {
        try await Database.withDatabase(application, logger: TestDatabase.logger) { application in
            try await Database.withDatabase(owner, logger: TestDatabase.logger) { owner in
                try await body(application, owner)
            }
        }
    }
}
