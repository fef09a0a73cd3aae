import CDSCore
import CDSDatabase
import CDSHTTP
import CDSWire
import Foundation
import Hummingbird
import X509

/// `/v1/sync-clients`: the provincial systems registered to sync rosters over the roster sync protocol, each known
/// by its client certificate's SHA-256 fingerprint and limited to its districts and to the source systems it speaks
/// for. Province-level: `users.manage` on the province.
struct SyncClientsController: Sendable {
    struct NewSyncClient: JSONRequestBody {
        static let fields: Set<String> = ["name", "certificate_pem", "districts", "sources"]

        let name: String
        let certificatePEM: String
        /// District codes, or `["all"]`.
        let districts: [String]
        /// The source systems it may push under: at least one.
        let sources: [String]
    }

    struct SyncClientChange: JSONRequestBody {
        static let fields: Set<String> = ["status", "sources"]

        let status: String?
        let sources: [String]?
    }

    typealias View = Wire.SyncClient

    let controlPlane: ControlPlane

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.get("sync-clients", use: list)
        group.post("sync-clients", use: create)
        group.patch("sync-clients/{name}", use: update)
    }

    static func requireProvince(_ caller: Caller) throws {
        guard caller.policy.permitsOnProvince(.usersManage) else {
            throw ProblemDetails.forbidden("sync clients are the province's: this needs users.manage on the province")
        }
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Page<View> {
        try Self.requireProvince(try context.requireCaller())
        return .init(items: try await controlPlane.syncClients().map(View.init))
    }

    @Sendable func create(_ request: Request, context: APIRequestContext) async throws -> EditedResponse<View> {
        let caller = try context.requireCaller()
        try Self.requireProvince(caller)
        let body = try await JSONBody.decode(NewSyncClient.self, from: request)
        let sources = try Self.sources(body.sources)
        let certificate: Certificate
        do {
            certificate = try Certificate(pemEncoded: body.certificatePEM)
        } catch {
            throw ProblemDetails.invalidValue(
                field: "certificate_pem",
                code: .invalidFormat,
                "is not a PEM certificate (-----BEGIN CERTIFICATE-----)"
            )
        }
        guard certificate.notValidAfter > Date() else {
            throw ProblemDetails.invalidValue(
                field: "certificate_pem",
                code: .expired,
                "expired on \(certificate.notValidAfter.formatted(.iso8601))"
            )
        }
        let districts = try caller.districts(body.districts)
        return try await ProblemDetails.controlPlane(field: "name") {
            let client = try await controlPlane.registerSyncClient(
                name: body.name,
                certificateSHA256: SyncClient.fingerprint(der: try certificate.serializeAsPEM().derBytes),
                districts: districts,
                sources: sources,
                actor: caller.actor
            )
            return EditedResponse(status: .created, headers: [.location: "/v1/sync-clients/\(client.name)"], response: View(client))
        }
    }

    @Sendable func update(_ request: Request, context: APIRequestContext) async throws -> View {
        let caller = try context.requireCaller()
        try Self.requireProvince(caller)
        let name = try RequestInput.text(context.parameters.get("name").map { Substring($0) }, field: "name", maxLength: 63) ?? ""
        let body = try await JSONBody.decode(SyncClientChange.self, from: request)
        let status = try RequestInput.choice(body.status, field: "status", SyncClient.Status.self)
        let sources = try body.sources.map(Self.sources)
        guard status != nil || sources != nil else {
            throw ProblemDetails.invalidValue(field: "status", code: .required, "send status, sources or both")
        }
        return try await ProblemDetails.controlPlane(field: "name") {
            var client: SyncClient?
            if let sources { client = try await controlPlane.setSyncClientSources(name: name, sources, actor: caller.actor) }
            if let status { client = try await controlPlane.setSyncClientStatus(name: name, status, actor: caller.actor) }
            return View(client!)
        }
    }

    /// The sources a client may push under: at least one, each a name a push header may carry.
    static func sources(_ values: [String]) throws -> Set<String> {
        guard !values.isEmpty else {
            throw ProblemDetails.invalidValue(field: "sources", code: .required, "name at least one source system (e.g. [\"hrm\"])")
        }
        for value in values where !SyncClient.isSourceName(value) {
            throw ProblemDetails.invalidValue(
                field: "sources",
                code: .invalidFormat,
                "'\(value.prefix(80))' is not a source system: 1 to 64 of [a-z0-9._-], and not 'local'"
            )
        }
        return Set(values)
    }
}

extension Wire.SyncClient {
    init(_ client: CDSDatabase.SyncClient) {
        self.init(
            id: client.id,
            name: client.name,
            certificateSHA256: client.certificateSHA256.map { String(format: "%02x", $0) }.joined(),
            districts: client.districts.map { $0.sorted().map(\.description) },
            sources: client.sources.map { $0.sorted() },
            status: client.status.rawValue
        )
    }
}
