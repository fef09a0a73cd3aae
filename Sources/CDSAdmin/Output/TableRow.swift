/// An object that prints as one row of a listing: the same columns whichever of its commands prints it.
protocol TableRow: Encodable {
    static var columns: [TextTable.Column] { get }
    /// Its cells, in the order of `columns`.
    var cells: [String] { get }
}

extension Listing where Item: TableRow {
    init(_ items: [Item]) {
        self.init(columns: Item.columns, items: items, cells: \.cells)
    }
}
