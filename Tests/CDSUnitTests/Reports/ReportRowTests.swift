import CDSWire
import Foundation
import Testing

@testable import CDSReports

/// A report's CSV and its JSON are read the same way: the header names the JSON keys, and each field is the value
/// under its key.
@Suite struct ReportRowTests {
    @Test func coverage() throws {
        try requireCSVMatchesJSON(
            CoverageReport.Row(
                districtCode: 116,
                communeCode: 3646,
                communeName: "Xã Chiềng Ơn",
                communeTeam: true,
                hamlets: 12,
                hamletsWithTeam: 9,
                hamletsWithoutTeam: 3
            )
        )
    }

    @Test func trainingCoverage() throws {
        try requireCSVMatchesJSON(
            TrainingCoverageReport.Row(
                districtCode: 116,
                communeCode: 3646,
                communeName: "Xã Chiềng Ơn",
                members: 40,
                trained: 5,
                trainedPercent: 12.5,
                withoutSmartphone: 7
            )
        )
    }

    @Test func activityTotals() throws {
        try requireCSVMatchesJSON(ActivityTotalsReport.Row(month: "2026-11", topic: "e_commerce", activities: 4, residentsReached: 130))
    }

    /// Encoded as the admin API answers a report in JSON.
    private func requireCSVMatchesJSON<Row: ReportRow>(_ row: Row) throws {
        let object = try #require(try JSONSerialization.jsonObject(with: WireCoding.encoder.encode(row)) as? [String: Any])
        #expect(Set(Row.header) == Set(object.keys))
        #expect(Row.header.count == row.fields.count)
        for (key, field) in zip(Row.header, row.fields) {
            let value = try #require(object[key])
            if let flag = Bool(field) {
                #expect(value as? Bool == flag, "\(key)")
            } else {
                #expect(value as? String ?? "\(value)" == field, "\(key)")
            }
        }
    }
}
