import Foundation

/// A value whose key is left out of the JSON when the value is absent, where every other absent value of a ``Wire``
/// type is written as `null`: for the keys an answer carries only sometimes (a secret shown once, a report's
/// optional details).
///
/// The synthesised coding of a wrapped property resolves to the ``KeyedEncodingContainer`` and
/// ``KeyedDecodingContainer`` overloads below, which skip the key, and read a missing one as absent.
@propertyWrapper
public struct OmittedWhenAbsent<Value> {
    public var wrappedValue: Value?

    public init(wrappedValue: Value?) {
        self.wrappedValue = wrappedValue
    }
}

extension OmittedWhenAbsent: Sendable where Value: Sendable {}

extension OmittedWhenAbsent: Encodable where Value: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }
}

extension OmittedWhenAbsent: Decodable where Value: Decodable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        wrappedValue = container.decodeNil() ? nil : try container.decode(Value.self)
    }
}

extension KeyedEncodingContainer {
    mutating func encode<Value: Encodable>(_ value: OmittedWhenAbsent<Value>, forKey key: Key) throws {
        if let wrapped = value.wrappedValue { try encode(wrapped, forKey: key) }
    }

    /// An id, in lowercase as every other id (the generic overload would reach Foundation's uppercase).
    mutating func encode(_ value: OmittedWhenAbsent<UUID>, forKey key: Key) throws {
        if let id = value.wrappedValue { try encode(id, forKey: key) }
    }
}

extension KeyedDecodingContainer {
    func decode<Value: Decodable>(_ type: OmittedWhenAbsent<Value>.Type, forKey key: Key) throws -> OmittedWhenAbsent<Value> {
        OmittedWhenAbsent(wrappedValue: try decodeIfPresent(Value.self, forKey: key))
    }
}
