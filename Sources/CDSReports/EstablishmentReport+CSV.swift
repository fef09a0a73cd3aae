import CDSDatabase

extension EstablishmentReport {
    /// The province's layout: the reference file's header, one line per district, then
    /// `total,,Tổng cộng,…`. Lines end with `\n`; no byte-order mark (the HTTP API adds one for Excel).
    public var csv: String {
        let lines =
            [CSVLine.encode(EstablishmentTable.header)] + rows.map { CSVLine.encode($0.fields) }
            + [CSVLine.encode(["total", ""] + total.fields.dropFirst(2))]
        return lines.joined(separator: "\n") + "\n"
    }
}

extension EstablishmentReport.Row {
    /// The row's values in the order of ``EstablishmentTable/header``.
    public var fields: [String] {
        [
            String(order), String(districtCode), districtName, String(communeTeams), String(hamletTeams),
            String(communeTeamMembers), String(hamletTeamMembers), String(hamletsWithoutTeam),
        ]
    }
}
