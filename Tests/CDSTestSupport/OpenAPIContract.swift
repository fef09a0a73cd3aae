import CDSWire
import Foundation

/// The admin API's `openapi.json`, against which the tests check every answer they get: that its status is
/// documented for the route, and that its JSON body validates against the documented schema.
public struct OpenAPIContract: Sendable {
    /// The document the server serves at `/openapi.json`.
    public static let adminAPI = OpenAPIContract(file: repositoryFile("Sources/CDSAdminAPI/openapi.json"))

    private let document: JSONValue
    /// The documented paths, split into segments; `{name}` segments match any one segment.
    private let templates: [(path: String, segments: [Substring])]

    init(file: URL) {
        do {
            document = try JSONDecoder().decode(JSONValue.self, from: try Data(contentsOf: file))
        } catch {
            fatalError("\(file.path) is not a readable JSON document: \(error)")
        }
        guard case .object(let paths) = document["paths"] else { fatalError("\(file.path) has no paths") }
        // Literal segments before templated ones, so that `/v1/units/tree` would win over `/v1/units/{code}`.
        templates = paths.keys.map { ($0, $0.split(separator: "/")) }.sorted { left, right in
            left.segments.filter { $0.hasPrefix("{") }.count < right.segments.filter { $0.hasPrefix("{") }.count
        }
    }

    /// Where an answer departs from the document; empty when it conforms. Answers to routes the document does not
    /// describe (Open311, `/metrics`) are not checked.
    /// - Parameters:
    ///   - uri: the request's path, with or without its query.
    ///   - contentType: the answer's `Content-Type`.
    public func problems(method: String, uri: String, status: Int, contentType: String?, body: Data) -> [String] {
        let path = uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? uri
        guard let template = template(for: path) else { return [] }
        let operationName = "\(method.uppercased()) \(template)"
        guard let operation = document["paths"]?[template]?[method.lowercased()] else {
            return ["\(operationName) is not in openapi.json"]
        }
        let check = JSONSchemaCheck(document: document)
        guard var response = operation["responses"]?[String(status)] ?? operation["responses"]?["default"] else {
            return ["\(operationName) answered \(status), which openapi.json does not list for it"]
        }
        if let reference = response["$ref"]?.string, let target = check.resolve(reference) { response = target }
        guard !body.isEmpty else { return [] }
        let mediaType = contentType?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard let schema = response["content"]?[mediaType]?["schema"] else {
            return ["\(operationName) answered \(status) as '\(mediaType)', which openapi.json does not list for it"]
        }
        guard mediaType.hasSuffix("json") else { return [] }
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: body) else {
            return ["\(operationName) answered \(status) with a body that is not JSON"]
        }
        return check.problems(value, schema).map { "\(operationName) \(status): \($0.hasPrefix(": ") ? "/" + $0 : $0)" }
    }

    private func template(for path: String) -> String? {
        let segments = path.split(separator: "/")
        return templates.first { template in
            template.segments.count == segments.count
                && zip(template.segments, segments).allSatisfy { documented, actual in documented.hasPrefix("{") || documented == actual }
        }?.path
    }
}
