import CDSWire
import Foundation

/// A page of a list, as every list of the API answers it (``Wire/Page``).
package typealias Page<Item: Encodable & Sendable> = Wire.Page<Item>

extension Wire.Page {
    /// The first `limit` of `rows` (fetched with one extra, to know whether there is a next page), the cursor
    /// being the last item's id.
    package init<Row>(rows: [Row], limit: Int, item: (Row) -> Item, cursor: (Item) -> UUID) {
        let items = rows.prefix(limit).map(item)
        self.init(items: items, nextCursor: rows.count > limit ? items.last.map { cursor($0).uuidString.lowercased() } : nil)
    }

    /// The first `limit` of `items`, fetched with one extra, as in ``init(rows:limit:item:cursor:)``.
    package init(rows items: [Item], limit: Int, cursor: (Item) -> UUID) {
        self.init(rows: items, limit: limit, item: { $0 }, cursor: cursor)
    }
}
