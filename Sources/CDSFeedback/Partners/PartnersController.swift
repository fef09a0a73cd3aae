import CDSCore
import CDSDatabase
import CDSHTTP
import CDSWire
import Foundation
import Hummingbird

/// `/v1/partners`: the apps that relay citizens' reports, each with its API key (shown once), districts, webhook URL
/// and rate. Province-level: `users.manage` on the province.
struct PartnersController: StaffRoutes {
    struct NewPartner: JSONRequestBody {
        static let fields: Set<String> = ["name", "districts", "webhook_url", "requests_per_minute"]

        let name: String
        /// District codes, or `["all"]`.
        let districts: [String]
        let webhookURL: String?
        let requestsPerMinute: Int?
    }

    struct PartnerChange: JSONRequestBody {
        static let fields: Set<String> = ["status"]

        let status: String
    }

    struct SecretRotation: JSONRequestBody {
        static let fields: Set<String> = ["overlap_hours"]

        /// How long the replaced secret keeps signing beside the new one; 24 unless told.
        let overlapHours: Int?
    }

    typealias View = Wire.Partner

    let controlPlane: ControlPlane
    /// Development only: webhook URLs on loopback are accepted.
    let allowLoopbackWebhooks: Bool

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.get("partners", use: list)
        group.post("partners", use: create)
        group.patch("partners/{name}", use: update)
        group.post("partners/{name}/api-key", use: rotateKey)
        group.post("partners/{name}/webhook-secret", use: rotateSecret)
    }

    private static func requireProvince(_ caller: Caller) throws {
        guard caller.policy.permitsOnProvince(.usersManage) else {
            throw ProblemDetails.forbidden("partner apps are the province's: this needs users.manage on the province")
        }
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Page<View> {
        try Self.requireProvince(try context.requireCaller())
        return Page(items: try await controlPlane.partnerApps().map { View($0) })
    }

    @Sendable func create(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try Self.requireProvince(caller)
        let body = try await JSONBody.decode(NewPartner.self, from: request)
        let districts = try caller.districts(body.districts)
        if let url = body.webhookURL {
            do throws(WebhookTarget.Refusal) {
                try WebhookTarget.check(url, allowLoopback: allowLoopbackWebhooks)
            } catch {
                throw ProblemDetails.invalidValue(field: "webhook_url", code: .refused, error.description)
            }
        }
        if let rate = body.requestsPerMinute, !(1...100_000).contains(rate) {
            throw ProblemDetails.invalidValue(field: "requests_per_minute", code: .outOfRange, "must be from 1 to 100,000")
        }
        return try await ProblemDetails.controlPlane(field: "name") {
            let credentials = try await controlPlane.registerPartnerApp(
                name: body.name,
                districts: districts,
                webhookURL: body.webhookURL,
                requestsPerMinute: body.requestsPerMinute ?? 120,
                actor: caller.actor
            )
            let view = View(credentials.app, apiKey: credentials.apiKey, webhookSecret: credentials.webhookSecret)
            return try Self.json(view, status: .created, location: "/v1/partners/\(credentials.app.name)")
        }
    }

    @Sendable func update(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try Self.requireProvince(caller)
        let body = try await JSONBody.decode(PartnerChange.self, from: request)
        guard let status = PartnerApp.Status(rawValue: body.status) else {
            throw ProblemDetails.invalidValue(field: "status", code: .unknownValue, "must be active or disabled")
        }
        return try await ProblemDetails.controlPlane(field: "name") {
            let app = try await controlPlane.setPartnerStatus(name: context.parameters.get("name") ?? "", status, actor: caller.actor)
            return try Self.json(View(app), status: .ok, location: nil)
        }
    }

    @Sendable func rotateKey(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try Self.requireProvince(caller)
        return try await ProblemDetails.controlPlane(field: "name") {
            let credentials = try await controlPlane.rotatePartnerKey(name: context.parameters.get("name") ?? "", actor: caller.actor)
            return try Self.json(View(credentials.app, apiKey: credentials.apiKey), status: .ok, location: nil)
        }
    }

    /// A new webhook secret, shown once; the old one keeps signing beside it for `overlap_hours` (24 unless told).
    @Sendable func rotateSecret(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try Self.requireProvince(caller)
        let body = try await JSONBody.decode(SecretRotation.self, from: request)
        let hours = body.overlapHours ?? 24
        guard (0...168).contains(hours) else {
            throw ProblemDetails.invalidValue(field: "overlap_hours", code: .outOfRange, "must be from 0 to 168 (a week)")
        }
        return try await ProblemDetails.controlPlane(field: "name") {
            let (app, secret) = try await controlPlane.rotatePartnerWebhookSecret(
                name: context.parameters.get("name") ?? "",
                overlap: .seconds(hours * 3600),
                actor: caller.actor
            )
            return try Self.json(View(app, webhookSecret: secret), status: .ok, location: nil)
        }
    }

    private static func json(_ view: View, status: HTTPResponse.Status, location: String?) throws -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let location { headers[.location] = location }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try WireCoding.sortedEncoder.encode(view))))
    }
}

extension Wire.Partner {
    /// The app; its API key and webhook secret only in the answer that issues them.
    init(_ app: PartnerApp, apiKey: String? = nil, webhookSecret: String? = nil) {
        self.init(
            id: app.id,
            name: app.name,
            districts: app.districts.map { $0.sorted().map(\.description) },
            webhookURL: app.webhookURL,
            requestsPerMinute: app.requestsPerMinute,
            status: app.status.rawValue,
            apiKey: apiKey,
            webhookSecret: webhookSecret,
            previousWebhookSecretUntil: app.previousSecretSignsUntil?.formatted(.iso8601)
        )
    }
}
