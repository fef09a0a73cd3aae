import CDSDatabase
import CDSTestSupport
import Testing

/// `cds-server migrate`: the owner's step before the server starts, so that the serving process never holds the owner
/// role. The built binary, on a database that has no schema yet.
@Suite struct MigrateCommandTests {
    @Test func migrateNeedsTheOwnerAndAppliesEverythingOnce() async throws {
        try await TestDatabase.withFresh(migrated: false) { db in
            let application = ["CDS_DATABASE_URL": db.application.url, "CDS_LOG_LEVEL": "error"]
            // What the server does at start without the owner: it refuses a schema that is not current.
            let check = { try await Database.withDatabase(db.application, logger: TestDatabase.logger) { try await $0.checkSchemaCurrent() } }
            await #expect(throws: DatabaseError.self) { try await check() }
            let withoutOwner = try await Script.run(product: "cds-server", ["migrate"], environment: application)
            #expect(withoutOwner.status == 1)
            #expect(withoutOwner.standardError.contains("set CDS_DATABASE_OWNER_URL"), "\(withoutOwner.standardError)")

            var owner = application
            owner["CDS_DATABASE_OWNER_URL"] = db.owner.url
            let first = try await Script.run(product: "cds-server", ["migrate"], environment: owner)
            #expect(first.status == 0, "\(first.standardError)")
            #expect(first.standardOutput.hasPrefix("migrated: 1, 2, 3"), "\(first.standardOutput)")
            let again = try await Script.run(product: "cds-server", ["migrate"], environment: owner)
            #expect(again.standardOutput == "the schema is current\n", "\(again.standardOutput)")
            let units = try await db.superuserRows("SELECT count(*)::int FROM cds.units", as: Int.self)[0]
            #expect(units == 217)  // the province, its 12 districts and 204 communes
            try await check()

            // A bad setting is the same EX_CONFIG as the server's own start.
            var bad = owner
            bad["CDS_HTTP_ADDR"] = "nowhere"
            #expect(try await Script.run(product: "cds-server", ["migrate"], environment: bad).status == 78)
        }
    }
}
