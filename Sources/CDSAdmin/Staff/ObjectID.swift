import Foundation

/// An object's id from the command line: a UUID, lowercased as the server writes it, or a usage error that says
/// which listing shows the ids.
func objectID(_ text: String, listedBy listing: String) throws -> String {
    guard UUID(uuidString: text) != nil else { throw AdminError.usage("'\(text)' is not an id: `cds-admin \(listing)` shows them") }
    return text.lowercased()
}

/// The admin API path of an object of `collection` (`members`, `teams`, …) by its id from the command line, whose ids
/// `cds-admin <collection> list` shows.
func objectPath(_ collection: String, _ text: String) throws -> String {
    "/v1/\(collection)/\(try objectID(text, listedBy: "\(collection) list"))"
}

extension UUID {
    /// As the server writes it, and as the commands print it.
    var lowercased: String { uuidString.lowercased() }
}
