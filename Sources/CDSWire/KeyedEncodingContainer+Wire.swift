import Foundation

/// The synthesised `encode(to:)` of every ``Wire`` type resolves to these, declared in this module, before the
/// standard library's: an absent value is written as `null` (the API's documents list every key, nullable or not),
/// and an id in lowercase (Foundation would write uppercase). The standard library has its own overloads for the
/// basic types, which win over a generic one; each is shadowed here by name.
extension KeyedEncodingContainer {
    mutating func encodeIfPresent<Value: Encodable>(_ value: Value?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }

    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }

    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }

    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }

    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }

    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }

    mutating func encode(_ id: UUID, forKey key: Key) throws {
        try encode(id.uuidString.lowercased(), forKey: key)
    }

    mutating func encodeIfPresent(_ id: UUID?, forKey key: Key) throws {
        if let id { try encode(id, forKey: key) } else { try encodeNil(forKey: key) }
    }
}
