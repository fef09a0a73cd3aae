import Foundation
import Hummingbird

/// Serves the OpenAPI 3.1 document that describes the API (`Sources/CDSAdminAPI/openapi.json`).
/// `OpenAPIDocumentTests` fails when the document and the router disagree.
struct OpenAPIController: Sendable {
    static let document: Data = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"), let data = try? Data(contentsOf: url) else {
            preconditionFailure("openapi.json is missing from the CDSAdminAPI resources")
        }
        return data
    }()

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
