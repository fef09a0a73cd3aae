import CDSHTTP
import Hummingbird

/// A ``Page`` whose items are JSON already (written by ``JSONObjectWriter``): `{"items": [...], "next_cursor": ...}`
/// assembled around them.
struct RawPage: ResponseGenerator, Sendable {
    /// The items: JSON objects separated by commas.
    let items: [UInt8]
    let nextCursor: String?

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(items.count + 64)
        buffer.writeStaticString(#"{"items":["#)
        buffer.writeBytes(items)
        buffer.writeStaticString(#"],"next_cursor":"#)
        // A cursor is a lowercase UUID: nothing in it needs escaping.
        buffer.writeString(nextCursor.map { "\"\($0)\"" } ?? "null")
        buffer.writeStaticString("}")
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: buffer))
    }
}
