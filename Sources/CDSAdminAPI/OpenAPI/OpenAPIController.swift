import CDSCore
import CDSHTTP
import Foundation
import Hummingbird

/// Serves the OpenAPI 3.1 document that describes the API (`Sources/CDSAdminAPI/openapi.json`).
/// `OpenAPIDocumentTests` fails when the document and the router disagree.
struct OpenAPIController: Sendable {
    static let document: Data = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"), let data = try? Data(contentsOf: url),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let dated = try? JSONSerialization.data(withJSONObject: withBirthYears(object), options: [.sortedKeys])
        else {
            preconditionFailure("openapi.json is missing from the CDSAdminAPI resources or is not a JSON object")
        }
        return dated
    }()

    /// The plausible birth years move with the calendar (``Member/plausibleBirthYears(in:)``): the document
    /// states this year's, so that it says exactly what the server accepts.
    static func withBirthYears(
        _ document: [String: Any],
        year: Int = Calendar(identifier: .gregorian).component(.year, from: Date())
    ) -> [String: Any] {
        var document = document
        let years = Member.plausibleBirthYears(in: year)
        guard var components = document["components"] as? [String: Any], var schemas = components["schemas"] as? [String: Any] else {
            return document
        }
        for name in ["NewMember", "MemberChange"] {
            guard var schema = schemas[name] as? [String: Any], var properties = schema["properties"] as? [String: Any],
                var birthYear = properties["birth_year"] as? [String: Any]
            else { continue }
            birthYear["minimum"] = years.lowerBound
            birthYear["maximum"] = years.upperBound
            birthYear["description"] = "Between 100 and 15 years before the current year"
            properties["birth_year"] = birthYear
            schema["properties"] = properties
            schemas[name] = schema
        }
        components["schemas"] = schemas
        document["components"] = components
        return document
    }

    func addRoutes(to router: Router<some RequestContext>) {
        router.get("openapi.json") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: Self.document))
            )
        }
    }
}
