import Foundation
import Hummingbird

/// A JSON request body, read strictly: at most 64 KiB (413 beyond), a JSON object, no field the route does
/// not take (so no mass assignment of ids, tenants or statuses), `null` only where a field may be cleared, and
/// every type as declared.
enum JSONBody {
    static let maximumSize = 64 * 1024

    /// - Parameters:
    ///   - fields: the fields the body may have.
    ///   - nullable: those of them that may be `null`.
    static func decode<Body: Decodable>(
        _ type: Body.Type,
        from request: Request,
        fields: Set<String>,
        nullable: Set<String> = []
    ) async throws -> Body {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maximumSize)
        } catch {
            throw ProblemDetails(
                "payload-too-large",
                title: "Payload too large",
                status: .contentTooLarge,
                detail: "the body must be at most \(maximumSize) bytes"
            )
        }
        let data = Data(buffer: buffer)
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw ProblemDetails.badRequest("the body must be a JSON object")
        }
        let unknown = Set(object.keys).subtracting(fields).sorted()
        guard unknown.isEmpty else {
            throw ProblemDetails.badRequest(
                "the body has fields this request does not take",
                errors: unknown.map { .init(field: $0, code: "unknown_field", message: "is not a field of this request") }
            )
        }
        let nulls = object.filter { $0.value is NSNull && !nullable.contains($0.key) }.keys.sorted()
        guard nulls.isEmpty else {
            throw ProblemDetails.badRequest(
                "the body has null where a value is needed",
                errors: nulls.map { .init(field: $0, code: "null", message: "must not be null; leave it out to keep it as it is") }
            )
        }
        do {
            return try JSONDecoder().decode(Body.self, from: data)
        } catch let error as DecodingError {
            throw ProblemDetails.badRequest("the body does not match the request's schema", errors: [Self.fieldError(error)])
        }
    }

    private static func fieldError(_ error: DecodingError) -> ProblemDetails.FieldError {
        func path(_ context: DecodingError.Context, _ key: (any CodingKey)? = nil) -> String {
            let keys = context.codingPath + (key.map { [$0] } ?? [])
            return keys.map(\.stringValue).joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return .init(field: path(context, key), code: "required", message: "is required")
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return .init(field: path(context), code: "invalid_type", message: "has the wrong type")
        case .dataCorrupted(let context):
            return .init(field: path(context), code: "invalid_format", message: "is malformed")
        @unknown default:
            return .init(field: "", code: "invalid", message: "is invalid")
        }
    }
}
