import Foundation
import Hummingbird
import XMLCoder

/// The two formats of GeoReport v2, chosen by the resource's extension (`services.xml`, `requests.json`). XML is
/// the one the specification requires; both encode the same models.
enum Open311Format: String, Sendable {
    case json, xml

    /// Splits `name.ext` into the name and the format; nil for another extension or none.
    static func split(_ resource: some StringProtocol) -> (name: String, format: Open311Format)? {
        guard let dot = resource.lastIndex(of: "."), let format = Open311Format(rawValue: String(resource[resource.index(after: dot)...]))
        else { return nil }
        return (String(resource[..<dot]), format)
    }

    var contentType: String {
        switch self {
        case .json: "application/json; charset=utf-8"
        case .xml: "text/xml; charset=utf-8"
        }
    }

    /// A list: a JSON array; in XML, `<root><item>…</item>…</root>`.
    func response<Item: Encodable>(_ items: [Item], root: String, item: String, status: HTTPResponse.Status = .ok) throws -> Response {
        switch self {
        case .json: try respond(Self.jsonEncoder.encode(items), status: status)
        case .xml: try respond(Self.xml(Open311List(items, of: item), root: root), status: status)
        }
    }

    /// A single object: a JSON object; in XML, `<root>…</root>`.
    func response(_ object: some Encodable, root: String) throws -> Response {
        switch self {
        case .json: try respond(Self.jsonEncoder.encode(object), status: .ok)
        case .xml: try respond(Self.xml(object, root: root), status: .ok)
        }
    }

    private func respond(_ body: Data, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    private static let jsonEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return encoder
    }()

    private static func xml(_ value: some Encodable, root: String) throws -> Data {
        let encoder = XMLEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.userInfo[.open311XML] = true
        return try encoder.encode(value, withRootKey: root, header: XMLHeader(version: 1.0, encoding: "UTF-8"))
    }

    /// Open311's times: ISO 8601 with the offset, in Vietnam's time (`2026-11-29T17:50:08+07:00`).
    static func timestamp(_ date: Date) -> String {
        timestampFormat.string(from: date)
    }

    /// Reads Open311's times: with seconds or fractions, `Z` or an offset.
    static func date(_ text: String) -> Date? {
        if let date = timestampFormat.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }

    private static var timestampFormat: ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(secondsFromGMT: 7 * 3600)
        return formatter
    }
}

/// A coding key known only at run time.
struct NamedKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
