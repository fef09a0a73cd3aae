import CDSDatabase

/// A listing printed as the user asked: an aligned table (the default on a terminal), CSV (the default into a pipe
/// or a file), or JSON as the server gave it (stable for scripts).
struct Listing<Item: Encodable> {
    let columns: [TextTable.Column]
    let items: [Item]
    let cells: (Item) -> [String]

    func print(_ format: OutputFormat?) throws {
        switch format ?? .automatic {
        case .json:
            Console.print(try JSONOutput.encode(items))
        case .csv:
            Console.print(([CSVLine.encode(columns.map(\.title))] + items.map { CSVLine.encode(cells($0)) }).joined(separator: "\n"))
        case .table:
            Console.print(TextTable(columns: columns, rows: items.map(cells)).render())
        }
    }

    func print(_ option: OutputOption) throws { try print(option.output) }
}

extension TextTable.Column {
    static func left(_ title: String) -> Self { Self(title: title, alignment: .left) }
    static func right(_ title: String) -> Self { Self(title: title, alignment: .right) }
}
