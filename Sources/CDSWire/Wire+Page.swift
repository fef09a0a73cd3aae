extension Wire {
    /// A page of a list: `{"items": [...], "next_cursor": ...}`; `next_cursor` is `null` on the last page, and is
    /// passed back as `cursor` for the next one.
    public struct Page<Item: Sendable>: Sendable {
        public let items: [Item]
        public let nextCursor: String?

        public init(items: [Item], nextCursor: String? = nil) {
            self.items = items
            self.nextCursor = nextCursor
        }
    }
}

extension Wire.Page: Encodable where Item: Encodable {}
extension Wire.Page: Decodable where Item: Decodable {}
