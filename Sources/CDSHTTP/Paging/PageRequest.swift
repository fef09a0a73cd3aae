import Foundation
import Hummingbird

/// Which page of an id-ordered list a request asks for: its `limit` (``PageLimit``) and its `cursor`, the last id
/// of the page before.
package struct PageRequest: Sendable {
    /// Items on the page.
    package let limit: Int
    /// The last id of the previous page; the zero UUID for the first.
    package let after: UUID

    /// - Throws: a 400 problem naming `limit` or `cursor` when either is malformed.
    package init(_ request: Request) throws {
        let query = request.uri.queryParameters
        limit = try PageLimit.parse(query["limit"].map(String.init))
        after = try RequestInput.cursor(query["cursor"])
    }

    /// Rows to read: a page and one more, which tells whether another page follows.
    package var rowsToRead: Int { limit + 1 }
}
