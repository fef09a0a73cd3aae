import CDSDatabase
import CDSTestSupport
import Foundation
import PostgresNIO
import Testing

/// Tenancy rule 3 (docs/tenancy.md) behind pgbouncer in transaction mode (`ops/pgbouncer/pgbouncer.ini`): many client connections
/// share a few server connections, each server connection serving the two districts' transactions in turn. A scope
/// carried over from one transaction to the next on the same server connection would show up as a wrong row.
@Suite struct PgbouncerScopeTests {
    /// What the 10,000 transactions saw.
    struct Tally {
        var transactions = 0
        var wrongRows = 0
        var missingRows = 0
        var unscopedReads = 0
        var rowsWithoutScope = 0
        var serverBackends: Set<Int32> = []

        mutating func add(_ other: Tally) {
            transactions += other.transactions
            wrongRows += other.wrongRows
            missingRows += other.missingRows
            unscopedReads += other.unscopedReads
            rowsWithoutScope += other.rowsWithoutScope
            serverBackends.formUnion(other.serverBackends)
        }
    }

    @Test func theScopeNeverLeaksBetweenPooledTransactions() async throws {
        try await TestDatabase.withTwoDistricts { db, _, fixture in
            // 16 client connections on 2 server connections: every server connection alternates districts.
            var port = 0
            try await Pgbouncer.withRunning(before: db.application, poolSize: 2) { pooled in
                port = pooled.port
                var clients = pooled
                clients.maximumConnections = 16
                try await Database.withDatabase(clients, logger: TestDatabase.logger) { database in
                    let seen = try await withThrowingTaskGroup(of: Tally.self) { group in
                        for worker in 0..<16 {
                            group.addTask {
                                var tally = Tally()
                                for round in 0..<625 {
                                    let district = (worker + round) % 2 == 0 ? fixture.a : fixture.b
                                    try await Self.scopedRead(district, on: database, into: &tally)
                                    if round % 10 == 0 { try await Self.unscopedRead(on: database, into: &tally) }
                                }
                                return tally
                            }
                        }
                        return try await group.reduce(into: Tally()) { $0.add($1) }
                    }
                    #expect(seen.transactions == 10_000)
                    #expect(seen.wrongRows == 0)
                    #expect(seen.missingRows == 0)
                    #expect(seen.unscopedReads == 16 * 63)
                    #expect(seen.rowsWithoutScope == 0)
                    // The pooling is real: all of it ran on pgbouncer's two server connections.
                    #expect((1...2).contains(seen.serverBackends.count), "server backends: \(seen.serverBackends)")
                }
            }
            // Stopped with the block: a pgbouncer that outlived its test kept its port and piled up on the machine.
            #expect(try await waitUntilLoopbackPortRefuses(port), "pgbouncer still listens on \(port)")
        }
    }

    /// One transaction scoped to `district`: every team and member it sees must be the district's, and it must see
    /// its one team and one member.
    static func scopedRead(_ district: TwoDistricts.District, on database: Database, into tally: inout Tally) async throws {
        let (rows, backend) = try await database.withTenantScope(.district(district.tenant), actor: TwoDistricts.actor) { tx in
            let rows = try await tx.rows("SELECT tenant_id FROM cds.teams UNION ALL SELECT tenant_id FROM cds.members", as: Int.self)
            let backend = try await tx.rows("SELECT pg_backend_pid()", as: Int32.self)[0]
            return (rows, backend)
        }
        tally.transactions += 1
        tally.wrongRows += rows.filter { $0 != district.tenant }.count
        tally.missingRows += max(0, 2 - rows.filter { $0 == district.tenant }.count)
        tally.serverBackends.insert(backend)
    }

    /// A transaction without a scope, on whichever server connection comes next: it must see no tenant row and no
    /// scope setting left by the transaction before it.
    static func unscopedRead(on database: Database, into tally: inout Tally) async throws {
        let (members, scope) = try await database.withTransaction { connection in
            var members = 0
            var scope = ""
            let query: PostgresQuery = "SELECT (SELECT count(*)::int FROM cds.members), coalesce(current_setting('cds.tenant_ids', true), '')"
            for try await (count, setting) in try await connection.query(query, logger: TestDatabase.logger).decode((Int, String).self) {
                members = count
                scope = setting
            }
            return (members, scope)
        }
        tally.unscopedReads += 1
        tally.rowsWithoutScope += members + (scope.isEmpty ? 0 : 1)
    }
}
