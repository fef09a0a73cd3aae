import CDSDatabase

extension EstablishmentReport {
    /// The report in the province's CSV layout (the reference file's header, then a `total` row),
    /// as JSON, or as a table for a terminal.
    func formatted(as format: OutputFormat) throws -> String {
        switch format {
        case .csv:
            let lines =
                [CSVWriter.line(EstablishmentTable.header)] + rows.map { CSVWriter.line(Self.csvFields($0)) }
                + [CSVWriter.line(["total", ""] + Self.csvFields(total).dropFirst(2))]
            return lines.joined(separator: "\n")
        case .json:
            struct Document: Encodable {
                let districts: [Row]
                let total: Row
            }
            return try JSONOutput.encode(Document(districts: rows, total: total))
        case .table:
            var table = TextTable(columns: [
                .init(title: "#", alignment: .right), .init(title: "Code", alignment: .right), .init(title: "District", alignment: .left),
                .init(title: "Commune teams", alignment: .right), .init(title: "Hamlet teams", alignment: .right),
                .init(title: "Commune members", alignment: .right), .init(title: "Hamlet members", alignment: .right),
                .init(title: "Hamlets without team", alignment: .right),
            ])
            table.rows = rows.map { Self.csvFields($0) }
            table.footer = [["", ""] + Self.csvFields(total).dropFirst(2)]
            return table.render()
        }
    }

    private static func csvFields(_ row: Row) -> [String] {
        [
            String(row.order), String(row.districtCode), row.districtName, String(row.communeTeams), String(row.hamletTeams),
            String(row.communeTeamMembers), String(row.hamletTeamMembers), String(row.hamletsWithoutTeam),
        ]
    }
}
