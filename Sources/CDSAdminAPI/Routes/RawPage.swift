import Hummingbird

/// A ``Page`` whose items are JSON already (written by PostgreSQL): `{"items": [...], "next_cursor": ...}`
/// assembled around them, without decoding and encoding them again.
struct RawPage: ResponseGenerator, Sendable {
    /// Each a JSON object.
    let items: [String]
    let nextCursor: String?

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var buffer = ByteBuffer()
        buffer.writeString(#"{"items":["#)
        for (index, item) in items.enumerated() {
            if index > 0 { buffer.writeString(",") }
            buffer.writeString(item)
        }
        buffer.writeString(#"],"next_cursor":"#)
        // A cursor is a lowercase UUID: nothing in it needs escaping.
        buffer.writeString(nextCursor.map { "\"\($0)\"" } ?? "null")
        buffer.writeString("}")
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: buffer))
    }
}
