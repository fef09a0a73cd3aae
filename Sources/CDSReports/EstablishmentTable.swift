import CDSDatabase
import CDSSchema
import Foundation

/// The province's establishment table as published (report 07/CĐS, 30 Sep 2023): the figures that
/// `demo seed sonla-2023` reproduces, and the reference its report is checked against.
public struct EstablishmentTable: Sendable {
    public static let header = [
        "order", "district_code", "district_name", "commune_teams", "hamlet_teams", "commune_team_members",
        "hamlet_team_members", "hamlets_without_team",
    ]

    public let rows: [EstablishmentReport.Row]

    /// The Sơn La table that ships with the project.
    public static func sonLa2023() throws -> EstablishmentTable {
        try EstablishmentTable(csv: String(contentsOf: Schema.referenceFile("sonla/establishment-2023-09-30.csv"), encoding: .utf8))
    }

    public init(csv: String) throws {
        let table = try CSVTable(text: csv)
        try table.requireHeader(Self.header)
        rows = try table.records.map { record in
            let numbers = try [0, 1, 3, 4, 5, 6, 7].map { index in
                guard let value = Int(record.fields[index]), value >= 0 else {
                    throw ImportError([.init(line: record.line, field: Self.header[index], message: "'\(record.fields[index])' is not a count")])
                }
                return value
            }
            return EstablishmentReport.Row(
                order: numbers[0],
                districtCode: numbers[1],
                districtName: record.fields[2],
                communeTeams: numbers[2],
                hamletTeams: numbers[3],
                communeTeamMembers: numbers[4],
                hamletTeamMembers: numbers[5],
                hamletsWithoutTeam: numbers[6]
            )
        }
    }
}
