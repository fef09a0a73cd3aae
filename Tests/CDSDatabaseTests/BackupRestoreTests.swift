import CDSDatabase
import CDSDemo
import CDSReports
import CDSTestSupport
import Foundation
import PostgresNIO
import Testing

/// The operators' scripts on a real server: `ops/postgres/setup-database.sh` makes the roles and a database with least
/// privilege; `ops/backup/cds-backup` dumps a seeded database as `cds_backup`; `ops/backup/cds-restore` restores it into
/// a new database, where every table has the same rows and the establishment report the same figures.
@Suite struct BackupRestoreTests {
    @Test func setUpBackUpAndRestoreIntoANewDatabase() async throws {
        try await TestDatabase.withFresh { db in
            let server = db.superuser.with(database: "postgres")
            let created = "cds_setup_\(UInt32.random(in: 0 ... .max))"
            let setup = try await Script.run("ops/postgres/setup-database.sh", [created], environment: ["CDS_SUPERUSER_URL": server.url])
            #expect(setup.status == 0, "\(setup.standardError)")
            try await checkSetUp(created, in: db)

            // Seed a district's worth of registry (audited, with change numbers), then back it up as cds_backup.
            let report = try await db.withPools { app, _ in
                _ = try await DemoSeeder(database: app, dataset: "sonla-2023", table: try EstablishmentTable.sonLa2023(), referenceYear: 2023).run()
                return try await Self.establishmentReport(app)
            }
            _ = try await db.superuserRows("ALTER ROLE cds_backup PASSWORD 'backup-test'", as: Int.self)
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("cds-backup-\(UUID().uuidString).dump")
            defer { try? FileManager.default.removeItem(at: file) }
            let backupURL = db.superuser.with(username: "cds_backup", password: "backup-test").url
            let backup = try await Script.run("ops/backup/cds-backup", [file.path], environment: ["CDS_BACKUP_URL": backupURL])
            #expect(backup.status == 0, "\(backup.standardError)")
            let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
            #expect(mode == 0o600, "the backup is mode \(String(mode ?? 0, radix: 8))")

            let restored = "cds_restored_\(UInt32.random(in: 0 ... .max))"
            let restore = try await Script.run("ops/backup/cds-restore", [file.path, restored], environment: ["CDS_RESTORE_URL": server.url])
            #expect(restore.status == 0, "\(restore.standardError)")

            // Every table's row count, as the script printed them, against the source's.
            let counts = try await Self.rowCounts(of: db)
            #expect(counts["cds.members"] == 15301)
            #expect(counts["cds.audit_log", default: 0] > 0)
            let printed = Dictionary(
                uniqueKeysWithValues: restore.standardOutput.split(separator: "\n").compactMap { line -> (String, Int)? in
                    let parts = line.split(separator: " ")
                    return parts.count == 2 ? (String(parts[0]), Int(parts[1]) ?? -1) : nil
                }
            )
            #expect(printed == counts)

            // The restored database works for the application role: the same establishment report.
            let again = try await Database.withDatabase(db.application.with(database: restored), logger: TestDatabase.logger) { restoredApp in
                try await Self.establishmentReport(restoredApp)
            }
            #expect(again == report)

            // A restore never overwrites.
            let twice = try await Script.run("ops/backup/cds-restore", [file.path, restored], environment: ["CDS_RESTORE_URL": server.url])
            #expect(twice.status == 2 && twice.standardError.contains("exists"))
            for database in [created, restored] {
                _ = try await db.superuserRows(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(database) WITH (FORCE)"), as: Int.self)
            }
        }
    }

    /// The roles' attributes and the database's privileges that the setup script promises.
    func checkSetUp(_ database: String, in db: TestDatabase) async throws {
        let roles = try await db.superuserRows(
            """
            SELECT rolname::text, rolcanlogin, rolsuper, rolbypassrls, rolcreatedb, rolcreaterole,
                   pg_has_role(rolname, 'pg_read_all_data', 'MEMBER')
            FROM pg_roles WHERE rolname IN ('cds_owner', 'cds_app', 'cds_backup') ORDER BY rolname
            """,
            as: (String, Bool, Bool, Bool, Bool, Bool, Bool).self
        )
        #expect(roles.map(\.0) == ["cds_app", "cds_backup", "cds_owner"])
        for (name, login, superuser, bypass, createDB, createRole, readsAll) in roles {
            #expect(login && !superuser && !createDB && !createRole, "\(name)")
            #expect(bypass == (name == "cds_backup") && readsAll == (name == "cds_backup"), "\(name)")
        }
        let privileges = try await db.superuserRows(
            """
            SELECT pg_get_userbyid(datdba)::text, has_database_privilege('cds_app', datname, 'CONNECT'),
                   has_database_privilege('cds_app', datname, 'CREATE'), has_database_privilege('public', datname, 'CONNECT')
            FROM pg_database WHERE datname = \(database)
            """,
            as: (String, Bool, Bool, Bool).self
        )
        #expect(privileges.count == 1)
        #expect(privileges.first.map { $0.0 == "cds_owner" && $0.1 && !$0.2 && !$0.3 } == true)
    }

    static func establishmentReport(_ database: Database) async throws -> EstablishmentReport {
        try await database.withTenantScope(try await database.provinceScope(), actor: .operator("test")) { tx in
            try await EstablishmentReport.compute(in: tx)
        }
    }

    /// `schema.table` → rows, over every table of the two schemas, read as the superuser.
    static func rowCounts(of db: TestDatabase) async throws -> [String: Int] {
        let tables = try await db.superuserRows(
            """
            SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname IN ('cds', 'cds_meta') AND c.relkind IN ('r', 'p')
            """,
            as: String.self
        )
        var counts: [String: Int] = [:]
        for table in tables {
            counts[table] = try await db.superuserRows(PostgresQuery(unsafeSQL: "SELECT count(*)::int FROM \(table)"), as: Int.self).first
        }
        return counts
    }

    /// The backup's password reaches pg_dump through its environment: a command line is visible to every user of the
    /// machine. A stand-in pg_dump on PATH records what it was given.
    @Test func theBackupPasswordIsNeverOnACommandLine() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cds-fake-pg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let record = directory.appendingPathComponent("called")
        let standIn = """
            #!/bin/sh
            echo "args: $*" >> \(record.path)
            echo "password: $PGPASSWORD user: $PGUSER host: $PGHOST database: $PGDATABASE" >> \(record.path)
            for arg in "$@"; do case "$arg" in --file=*) echo dump > "${arg#--file=}";; esac; done
            [ "$1" = "--list" ] && echo "1; 2 3 TABLE DATA cds members owner"
            exit 0
            """
        for name in ["pg_dump", "pg_restore"] {
            let program = directory.appendingPathComponent(name)
            try standIn.write(to: program, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: program.path)
        }
        let file = directory.appendingPathComponent("backup.dump")
        let backup = try await Script.run(
            "ops/backup/cds-backup",
            [file.path],
            environment: [
                "CDS_BACKUP_URL": "postgres://cds_backup:s%40cret-9@db.example:5433/cds?sslmode=verify-full",
                "PATH": directory.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
            ]
        )
        #expect(backup.status == 0, "\(backup.standardError)")
        let called = try String(contentsOf: record, encoding: .utf8)
        for line in called.split(separator: "\n") where line.hasPrefix("args:") {
            #expect(!line.contains("cret"), "a command line holds the password: \(line)")
        }
        #expect(called.contains("password: s@cret-9 user: cds_backup host: db.example database: cds"))
        #expect(try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int == 0o600)
    }
}
