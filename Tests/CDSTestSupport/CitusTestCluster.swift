import CDSDatabase
import Foundation

/// A Citus cluster that `ops/citus/cluster start DIRECTORY` brought up (docs/scale-out.md), named by
/// `CDS_TEST_CITUS_ENV=DIRECTORY/env`. With it, ``TestDatabase`` makes each test's database on the cluster: a copy of
/// the cluster's migrated and distributed template on every node, so that the suites run unchanged against the
/// coordinator with every district's shards on the workers.
public struct CitusTestCluster: Sendable {
    /// Each node's superuser, the coordinator first.
    let nodes: [DatabaseEndpoint]
    /// The coordinator as `cds_owner` and as `cds_app`, on the cluster's `cds` database.
    let owner: DatabaseEndpoint
    let application: DatabaseEndpoint
    /// The database that a test's database copies, on every node.
    let template: String

    /// The cluster named by `CDS_TEST_CITUS_ENV`, or nil when it is unset.
    public static let current: CitusTestCluster? = {
        guard let path = ProcessInfo.processInfo.environment["CDS_TEST_CITUS_ENV"], !path.isEmpty else { return nil }
        do {
            let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
            let settings = Dictionary(
                lines.compactMap { line in line.firstIndex(of: "=").map { (String(line[..<$0]), String(line[line.index(after: $0)...])) } },
                uniquingKeysWith: { _, last in last }
            )
            var application = try DatabaseEndpoint(url: settings["CDS_DATABASE_URL"] ?? "")
            application.engine = .citus
            return CitusTestCluster(
                nodes: try (settings["CDS_CITUS_NODES"] ?? "").split(separator: ",").map { try DatabaseEndpoint(url: String($0)) },
                owner: try DatabaseEndpoint(url: settings["CDS_DATABASE_OWNER_URL"] ?? ""),
                application: application,
                template: settings["CDS_CITUS_TEMPLATE"] ?? ""
            )
        } catch {
            fatalError("CDS_TEST_CITUS_ENV=\(path) is not the env file of ops/citus/cluster: \(error)")
        }
    }()
}
