import CDSDatabase
import CDSTestSupport
import Foundation
import Testing

@Suite struct UnitImporterTests {
    @Test func theReferenceUnitsAreLoadedAndReimportingChangesNothing() async throws {
        try await TestDatabase.withFresh { db in
            let counts = try await db.superuserRows(
                "SELECT level, count(*)::int FROM cds.units GROUP BY level ORDER BY level",
                as: (String, Int).self
            )
            #expect(counts.map(\.0) == ["commune", "district", "province"])
            #expect(counts.map(\.1) == [204, 12, 1])
            let tenants = try await db.superuserRows("SELECT count(*)::int FROM cds.tenants", as: Int.self)
            #expect(tenants == [12])
            let summary = try await Database.withDatabase(db.owner, logger: TestDatabase.logger) { owner in
                try await UnitImporter(database: owner).importReferenceUnits()
            }
            #expect(summary == .init(inserted: 0, updated: 0, unchanged: 217))
        }
    }

    @Test func aRenameIsAnUpdate() async throws {
        try await TestDatabase.withFresh { db in
            let summary = try await Database.withDatabase(db.owner, logger: TestDatabase.logger) { owner in
                try await UnitImporter(database: owner).importCSV(
                    """
                    code,name,level,division_type,parent_code,display_order
                    3646,"Phường Chiềng Lề, mới",commune,phuong,116,1
                    99001,Xã Thử Nghiệm,commune,xa,116,99
                    """
                )
            }
            #expect(summary == .init(inserted: 1, updated: 1, unchanged: 0))
            let names = try await db.superuserRows("SELECT name FROM cds.units WHERE code = 3646", as: String.self)
            #expect(names == ["Phường Chiềng Lề, mới"])
        }
    }

    @Test func badLinesAreReportedByLineAndNothingIsImported() async throws {
        try await TestDatabase.withFresh { db in
            let csv = """
                code,name,level,division_type,parent_code,display_order
                99001,Xã Mới,commune,xa,116,1
                abc,Xã Sai Mã,commune,xa,116,2
                99002,,commune,xa,116,3
                99003,Xã Không Cha,commune,xa,4242,4
                99004,Xã Cấp Lạ,village,xa,116,5
                99005,Xã Dưới Xã,commune,xa,3646,6
                99001,Xã Trùng,commune,xa,116,7
                99006,Xã Thiếu Cột,commune,xa,116

                """
            let error = try await #require(throws: ImportError.self) {
                try await Database.withDatabase(db.owner, logger: TestDatabase.logger) { owner in
                    try await UnitImporter(database: owner).importCSV(csv)
                }
            }
            #expect(error.errors.map(\.line) == [9])  // the field count is checked before anything else
            let fixed = csv.replacingOccurrences(of: "99006,Xã Thiếu Cột,commune,xa,116\n", with: "")
            let second = try await #require(throws: ImportError.self) {
                try await Database.withDatabase(db.owner, logger: TestDatabase.logger) { owner in
                    try await UnitImporter(database: owner).importCSV(fixed)
                }
            }
            #expect(second.errors.map(\.line) == [3, 4, 5, 6, 7, 8])
            #expect(second.errors.map(\.field) == ["code", "name", "parent_code", "level", "parent_code", "code"])
            let inserted = try await db.superuserRows("SELECT count(*)::int FROM cds.units WHERE code >= 99000", as: Int.self)
            #expect(inserted == [0])
        }
    }

    @Test(arguments: [
        "code,name\n1,x\n",
        "code,name,level,division_type,parent_code,display_order\n99001,\"Xã Mở Ngoặc,commune,xa,116,1\n",
        "",
    ])
    func malformedFilesAreRefused(_ csv: String) async throws {
        _ = try await TestDatabase.withFresh { db in
            await #expect(throws: ImportError.self) {
                try await Database.withDatabase(db.owner, logger: TestDatabase.logger) { owner in
                    try await UnitImporter(database: owner).importCSV(csv)
                }
            }
        }
    }
}
