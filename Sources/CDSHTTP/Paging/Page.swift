import Foundation
import Hummingbird

/// A page of a list: `{"items": [...], "next_cursor": ...}`; `next_cursor` is `null` on the last page,
/// and is passed back as `cursor` for the next one.
package struct Page<Item: Encodable & Sendable>: ResponseEncodable, Sendable {
    package let items: [Item]
    package let nextCursor: String?

    package init(items: [Item], nextCursor: String? = nil) {
        self.items = items
        self.nextCursor = nextCursor
    }

    /// The first `limit` of `rows` (fetched with one extra, to know whether there is a next page), the cursor
    /// being the last item's id.
    package init<Row>(rows: [Row], limit: Int, item: (Row) -> Item, cursor: (Item) -> UUID) {
        let items = rows.prefix(limit).map(item)
        self.init(items: items, nextCursor: rows.count > limit ? items.last.map { cursor($0).uuidString.lowercased() } : nil)
    }

    package enum CodingKeys: String, CodingKey {
        case items
        case nextCursor = "next_cursor"
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}
