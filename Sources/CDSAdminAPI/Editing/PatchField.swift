/// A field of a PATCH body, which may be absent (leave it), `null` (clear it) or a value (set it): plain
/// optionals cannot tell the first two apart.
enum PatchField<Value: Decodable & Sendable>: Decodable, Sendable {
    case absent
    case null
    case value(Value)

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        self = container.decodeNil() ? .null : .value(try container.decode(Value.self))
    }

    /// The new value, or nil when the field is absent or cleared.
    var value: Value? {
        if case .value(let value) = self { value } else { nil }
    }

    var isAbsent: Bool {
        if case .absent = self { true } else { false }
    }

    /// Transforms a value, keeping absent and null as they are.
    func map<Other>(_ transform: (Value) throws -> Other) rethrows -> PatchField<Other> {
        switch self {
        case .absent: .absent
        case .null: .null
        case .value(let value): .value(try transform(value))
        }
    }
}

extension KeyedDecodingContainer {
    /// Used by synthesised `Decodable` initialisers: a missing key is ``PatchField/absent``.
    func decode<Value>(_ type: PatchField<Value>.Type, forKey key: Key) throws -> PatchField<Value> {
        guard contains(key) else { return .absent }
        return try decodeNil(forKey: key) ? .null : .value(try decode(Value.self, forKey: key))
    }
}
