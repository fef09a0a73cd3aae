/// A JSON request body's type, with the fields it may have: `JSONBody` refuses any other field, and `null`
/// where the field is not `nullable`, before decoding, so that no body can set what its route does not take.
package protocol JSONRequestBody: Decodable {
    /// The body's fields as they are on the wire (snake_case).
    static var fields: Set<String> { get }
    /// Those of `fields` that may be `null`: unknown, or cleared by a change.
    static var nullable: Set<String> { get }
}

extension JSONRequestBody {
    package static var nullable: Set<String> { [] }
}
