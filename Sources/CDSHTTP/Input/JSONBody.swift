import CDSCore
import CDSWire
import Foundation
import Hummingbird

/// A JSON request body, read strictly: at most 64 KiB (413 beyond), a JSON object, no field the route does
/// not take (so no mass assignment of ids, tenants or statuses), `null` only where a field may be cleared, and
/// every type as declared.
package enum JSONBody {
    package static let maximumSize = 64 * 1024

    package static func decode<Body: JSONRequestBody>(_ type: Body.Type, from request: Request) async throws -> Body {
        try decode(type, from: try await bytes(of: request, maximumSize: maximumSize))
    }

    /// As the request's `decode`, from a body already read (whose bytes the
    /// caller needs too, as an idempotent request's fingerprint).
    package static func decode<Body: JSONRequestBody>(_ type: Body.Type, from data: Data) throws -> Body {
        let object = try Self.object(from: data)
        try Self.requireShape(of: object, fields: Body.fields, nullable: Body.nullable)
        do {
            return try WireCoding.decoder.decode(Body.self, from: data)
        } catch let error as DecodingError {
            throw ProblemDetails.badRequest("the body does not match the request's schema", errors: [Self.fieldError(error)])
        }
    }

    /// A batch: a body `{"<key>": [item, …]}` of 1 to `maximumCount` items, each read as strictly as a single body,
    /// every item's faults reported at once with its index (`members[3].phone`), so that a whole file's mistakes
    /// come back in one answer.
    package static func decodeBatch<Item: JSONRequestBody>(
        _ type: Item.Type,
        key: String,
        from request: Request,
        maximumSize: Int,
        maximumCount: Int
    ) async throws -> [Item] {
        let object = try Self.object(from: try await bytes(of: request, maximumSize: maximumSize))
        try Self.requireShape(of: object, fields: [key])
        guard let items = object[key] as? [Any] else {
            throw ProblemDetails.badRequest(
                "the body must be {\"\(key)\": [...]}",
                errors: [.init(field: key, code: .invalidType, message: "must be an array")]
            )
        }
        guard (1...maximumCount).contains(items.count) else {
            throw ProblemDetails.invalidValue(field: key, code: .outOfRange, "must have 1 to \(maximumCount) items, not \(items.count)")
        }
        var decoded: [Item] = []
        var errors: [ValidationError] = []
        for (index, item) in items.enumerated() {
            let prefix = "\(key)[\(index)]"
            guard let item = item as? [String: Any] else {
                errors.append(.init(field: prefix, code: .invalidType, message: "must be a JSON object"))
                continue
            }
            do {
                try Self.requireShape(of: item, fields: Item.fields, nullable: Item.nullable)
                decoded.append(try WireCoding.decoder.decode(Item.self, from: JSONSerialization.data(withJSONObject: item)))
            } catch let problem as ProblemDetails {
                errors += (problem.errors ?? []).map { .init(field: "\(prefix).\($0.field)", code: $0.code, message: $0.message) }
            } catch let error as DecodingError {
                let fault = Self.fieldError(error)
                errors.append(.init(field: "\(prefix).\(fault.field)", code: fault.code, message: fault.message))
            }
        }
        guard errors.isEmpty else {
            throw ProblemDetails.badRequest("\(errors.count) faults in the items of \(key); nothing was applied", errors: errors)
        }
        return decoded
    }

    /// The body's bytes: at most `maximumSize` (413 beyond).
    package static func bytes(of request: Request, maximumSize: Int = maximumSize) async throws -> Data {
        do {
            return Data(buffer: try await request.body.collect(upTo: maximumSize))
        } catch {
            throw ProblemDetails(
                "payload-too-large",
                title: "Payload too large",
                status: .contentTooLarge,
                detail: "the body must be at most \(maximumSize) bytes"
            )
        }
    }

    /// The body's top-level object.
    private static func object(from data: Data) throws -> [String: Any] {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw ProblemDetails.badRequest("the body must be a JSON object")
        }
        return object
    }

    /// No field outside `fields`, and `null` only in `nullable`.
    private static func requireShape(of object: [String: Any], fields: Set<String>, nullable: Set<String> = []) throws {
        let unknown = Set(object.keys).subtracting(fields).sorted()
        guard unknown.isEmpty else {
            throw ProblemDetails.badRequest(
                "the body has fields this request does not take",
                errors: unknown.map { .init(field: $0, code: .unknownField, message: "is not a field of this request") }
            )
        }
        let nulls = object.filter { $0.value is NSNull && !nullable.contains($0.key) }.keys.sorted()
        guard nulls.isEmpty else {
            throw ProblemDetails.badRequest(
                "the body has null where a value is needed",
                errors: nulls.map { .init(field: $0, code: .null, message: "must not be null; leave it out to keep it as it is") }
            )
        }
    }

    private static func fieldError(_ error: DecodingError) -> ValidationError {
        func path(_ context: DecodingError.Context, _ key: (any CodingKey)? = nil) -> String {
            let keys = context.codingPath + (key.map { [$0] } ?? [])
            return keys.map { $0.intValue == nil ? FieldName.snakeCase(of: $0.stringValue) : $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return .init(field: path(context, key), code: .required, message: "is required")
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return .init(field: path(context), code: .invalidType, message: "has the wrong type")
        case .dataCorrupted(let context):
            return .init(field: path(context), code: .invalidFormat, message: "is malformed")
        @unknown default:
            return .init(field: "", code: .invalid, message: "is invalid")
        }
    }
}
