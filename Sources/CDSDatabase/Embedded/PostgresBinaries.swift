import Foundation

/// The PostgreSQL server programs (`initdb`, `pg_ctl`, `postgres`) of one installation.
public struct PostgresBinaries: Hashable, Sendable {
    public let directory: String
    /// The major version, e.g. 15.
    public let majorVersion: Int

    public var initdb: String { directory + "/initdb" }
    public var pgCtl: String { directory + "/pg_ctl" }

    /// Finds the server programs: `pg_ctl` on `PATH` first, then the newest `/usr/lib/postgresql/*/bin`.
    /// - Throws: ``EmbeddedPostgresError/binariesNotFound`` saying which package to install.
    public static func locate() async throws -> PostgresBinaries {
        var candidates: [String] = []
        if let pgCtl = try? ProcessRunner.locate("pg_ctl") {
            candidates.append(URL(fileURLWithPath: pgCtl).resolvingSymlinksInPath().deletingLastPathComponent().path)
        }
        let debianRoot = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: debianRoot)) ?? [])
            .compactMap(Int.init).sorted(by: >)
        candidates += versions.map { "\(debianRoot)/\($0)/bin" }

        for directory in candidates {
            let fileManager = FileManager.default
            guard ["initdb", "pg_ctl", "postgres"].allSatisfy({ fileManager.isExecutableFile(atPath: directory + "/" + $0) }) else {
                continue
            }
            let output = try await ProcessRunner.run(directory + "/pg_ctl", ["--version"])
            // "pg_ctl (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"
            if let version = output.text.split(separator: " ").dropFirst(2).first?.split(separator: ".").first.flatMap({ Int($0) }) {
                return PostgresBinaries(directory: directory, majorVersion: version)
            }
        }
        throw EmbeddedPostgresError(
            .binariesNotFound,
            "no PostgreSQL server programs (initdb, pg_ctl, postgres) were found on PATH or in /usr/lib/postgresql/*/bin. Install them (Debian: apt-get install postgresql-15), or set CDS_DATABASE_URL to use an existing server."
        )
    }
}
