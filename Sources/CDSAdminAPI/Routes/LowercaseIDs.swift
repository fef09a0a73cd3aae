import Foundation

/// Ids are written in lowercase in every answer, as PostgreSQL writes them and as cursors and `Location`
/// headers carry them (Foundation would write uppercase). These overloads win over the generic `encode` in
/// every encoder of this module, synthesised ones included.
extension KeyedEncodingContainer {
    mutating func encode(_ id: UUID, forKey key: Key) throws {
        try encode(id.uuidString.lowercased(), forKey: key)
    }

    mutating func encode(_ id: UUID?, forKey key: Key) throws {
        try encode(id?.uuidString.lowercased(), forKey: key)
    }
}
