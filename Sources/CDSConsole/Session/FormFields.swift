import CDSHTTP
import Foundation
import Hummingbird
import MultipartKit

/// The fields of an HTML form post: `application/x-www-form-urlencoded` up to 64 KiB, or `multipart/form-data` (a form
/// with a file, which needs no JavaScript to send) up to 1 MiB. Every field is text in UTF-8.
enum FormFields {
    static let maximumBytes = 64 * 1024
    static let maximumUploadBytes = 1024 * 1024

    static func read(_ request: Request) async throws -> [String: String] {
        let type = request.headers[.contentType] ?? ""
        if let boundary = multipartBoundary(type) {
            return try multipart(try await collect(request, upTo: maximumUploadBytes), boundary: boundary)
        }
        guard type.lowercased().hasPrefix("application/x-www-form-urlencoded") else {
            throw ProblemDetails.badRequest("send the form as application/x-www-form-urlencoded or multipart/form-data")
        }
        return parse(String(buffer: try await collect(request, upTo: maximumBytes)))
    }

    private static func collect(_ request: Request, upTo limit: Int) async throws -> ByteBuffer {
        do {
            return try await request.body.collect(upTo: limit)
        } catch {
            throw ProblemDetails.badRequest("the form is larger than \(limit / 1024) KiB")
        }
    }

    /// The boundary of a `multipart/form-data` content type, nil for any other type.
    static func multipartBoundary(_ type: String) -> String? {
        let parameters = type.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parameters.first?.lowercased() == "multipart/form-data" else { return nil }
        let boundary = parameters.dropFirst().first { $0.lowercased().hasPrefix("boundary=") }?.dropFirst("boundary=".count)
        return boundary.map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The parts of a `multipart/form-data` body by name, as text; a part that is not UTF-8 (a spreadsheet saved in
    /// another encoding) is refused by name, so that the person can save it again as UTF-8.
    static func multipart(_ buffer: ByteBuffer, boundary: String) throws -> [String: String] {
        let parser = MultipartParser(boundary: boundary)
        var fields: [String: String] = [:]
        var unreadable: [String] = []
        var headers = HTTPHeaders()
        var body = ByteBuffer()
        parser.onHeader = { name, value in headers.replaceOrAdd(name: name, value: value) }
        parser.onBody = { chunk in body.writeBuffer(&chunk) }
        parser.onPartComplete = {
            if let name = MultipartPart(headers: headers, body: body).name {
                if let text = String(validating: body.readableBytesView, as: UTF8.self) {
                    fields[name] = text
                } else {
                    unreadable.append(name)
                }
            }
            headers = HTTPHeaders()
            body = ByteBuffer()
        }
        do {
            try parser.execute(buffer)
        } catch {
            throw ProblemDetails.badRequest("the form could not be read as multipart/form-data")
        }
        if let name = unreadable.first {
            throw ProblemDetails.invalidValue(field: name, code: .invalidEncoding, "is not text in UTF-8: save the file as CSV UTF-8")
        }
        return fields
    }

    /// `a=1&b=x+y` as fields; a repeated name keeps its last value, a malformed escape leaves the field out.
    static func parse(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]), let value = decode(parts.count > 1 ? parts[1] : "") else { continue }
            fields[name] = value
        }
        return fields
    }

    /// The fields `names` of `fields`, in order, as the items of a query to pass on: one left empty is nil.
    static func chosen(_ names: [String], in fields: [String: String]) -> [(String, String?)] {
        names.map { name in (name, fields[name].flatMap { $0.isEmpty ? nil : $0 }) }
    }

    /// `items` as a URL query (`?a=1&b=x%20y`) without the nil ones; empty when none is left.
    static func query(_ items: [(String, String?)]) -> String {
        var components = URLComponents()
        components.queryItems = items.compactMap { name, value in value.map { URLQueryItem(name: name, value: $0) } }
        return components.queryItems!.isEmpty ? "" : "?" + (components.percentEncodedQuery ?? "")
    }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
