import CDSHTTP
import Foundation
import Hummingbird

/// The fields of an HTML form post (`application/x-www-form-urlencoded`), at most 64 KiB.
enum FormFields {
    static let maximumBytes = 64 * 1024

    static func read(_ request: Request) async throws -> [String: String] {
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true else {
            throw ProblemDetails.badRequest("send the form as application/x-www-form-urlencoded")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maximumBytes)
        } catch {
            throw ProblemDetails.badRequest("the form is larger than 64 KiB")
        }
        return parse(String(buffer: buffer))
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
