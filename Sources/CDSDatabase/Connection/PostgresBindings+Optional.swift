import PostgresNIO

extension PostgresBindings {
    /// Appends `value`, or NULL: what query interpolation does for an optional, for prepared statements' bindings.
    public mutating func append<Value: PostgresThrowingDynamicTypeEncodable>(optional value: Value?) throws {
        if let value { try append(value) } else { appendNull() }
    }
}
