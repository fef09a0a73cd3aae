import CDSDatabase

extension EstablishmentReport {
    /// The report in the province's CSV layout (the reference file's header, then a `total` row),
    /// as JSON, or as a table for a terminal.
    func formatted(as format: OutputFormat) throws -> String {
        switch format {
        case .csv:
            // Console.print ends the last line.
            return String(csv.dropLast())
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
            table.rows = rows.map(\.fields)
            table.footer = [["", ""] + total.fields.dropFirst(2)]
            return table.render()
        }
    }
}
