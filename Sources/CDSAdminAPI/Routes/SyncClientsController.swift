import CDSCore
import CDSDatabase
import Foundation
import Hummingbird
import X509

/// `/v1/sync-clients`: the provincial systems registered to sync rosters over the roster sync protocol, each known
/// by its client certificate's SHA-256 fingerprint and limited to its districts. Province-level: `users.manage`
/// on the province.
struct SyncClientsController: Sendable {
    struct NewSyncClient: Decodable {
        let name: String
        let certificatePEM: String
        /// District codes, or `["all"]`.
        let districts: [String]

        enum CodingKeys: String, CodingKey {
            case name, districts
            case certificatePEM = "certificate_pem"
        }
    }

    struct SyncClientChange: Decodable {
        let status: String
    }

    struct View: ResponseEncodable, Sendable {
        let id: UUID
        let name: String
        let certificateSHA256: String
        /// `null`: every district.
        let districts: [String]?
        let status: String

        enum CodingKeys: String, CodingKey {
            case id, name, districts, status
            case certificateSHA256 = "certificate_sha256"
        }

        /// `districts` written as `null` when every district, not left out.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(name, forKey: .name)
            try container.encode(certificateSHA256, forKey: .certificateSHA256)
            try container.encode(districts, forKey: .districts)
            try container.encode(status, forKey: .status)
        }

        init(_ client: SyncClient) {
            id = client.id
            name = client.name
            certificateSHA256 = client.certificateSHA256.map { String(format: "%02x", $0) }.joined()
            districts = client.districts.map { $0.sorted().map(\.description) }
            status = client.status.rawValue
        }
    }

    let controlPlane: ControlPlane

    func addRoutes(to group: RouterGroup<AdminRequestContext>) {
        group.get("sync-clients", use: list)
        group.post("sync-clients", use: create)
        group.patch("sync-clients/{name}", use: update)
    }

    static func requireProvince(_ caller: Caller) throws {
        guard caller.policy.permitsOnProvince(.usersManage) else {
            throw ProblemDetails.forbidden("sync clients are the province's: this needs users.manage on the province")
        }
    }

    @Sendable func list(_ request: Request, context: AdminRequestContext) async throws -> Page<View> {
        try Self.requireProvince(try context.requireCaller())
        return .init(items: try await controlPlane.syncClients().map(View.init))
    }

    @Sendable func create(_ request: Request, context: AdminRequestContext) async throws -> EditedResponse<View> {
        let caller = try context.requireCaller()
        try Self.requireProvince(caller)
        let body = try await JSONBody.decode(NewSyncClient.self, from: request, fields: ["name", "certificate_pem", "districts"])
        let certificate: Certificate
        do {
            certificate = try Certificate(pemEncoded: body.certificatePEM)
        } catch {
            throw ProblemDetails.invalidValue(
                field: "certificate_pem",
                code: "invalid_format",
                "is not a PEM certificate (-----BEGIN CERTIFICATE-----)"
            )
        }
        guard certificate.notValidAfter > Date() else {
            throw ProblemDetails.invalidValue(
                field: "certificate_pem",
                code: "expired",
                "expired on \(certificate.notValidAfter.formatted(.iso8601))"
            )
        }
        let districts = try caller.districts(body.districts)
        do {
            let client = try await controlPlane.registerSyncClient(
                name: body.name,
                certificateSHA256: SyncClient.fingerprint(der: try certificate.serializeAsPEM().derBytes),
                districts: districts,
                actor: caller.actor
            )
            return EditedResponse(status: .created, headers: [.location: "/v1/sync-clients/\(client.name)"], response: View(client))
        } catch let error as ControlPlaneError {
            throw ProblemDetails(controlPlaneError: error, field: "name")
        }
    }

    @Sendable func update(_ request: Request, context: AdminRequestContext) async throws -> View {
        let caller = try context.requireCaller()
        try Self.requireProvince(caller)
        let name = try RequestInput.text(context.parameters.get("name").map { Substring($0) }, field: "name", maxLength: 63) ?? ""
        let body = try await JSONBody.decode(SyncClientChange.self, from: request, fields: ["status"])
        let status = try RequestInput.choice(body.status, field: "status", SyncClient.Status.self)!
        do {
            return View(try await controlPlane.setSyncClientStatus(name: name, status, actor: caller.actor))
        } catch let error as ControlPlaneError {
            throw ProblemDetails(controlPlaneError: error, field: "name")
        }
    }
}
