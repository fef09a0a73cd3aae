import CDSCore
import CDSDatabase
import CDSHTTP
import CDSServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// A test database with the ``TwoDistricts`` fixture, the HTTP application on it, two partner apps —
/// `citizen-app` (district 116 only, webhook URL https://hooks.citizen.example/cds) and `smart-city` (every
/// district, no webhook) — and staff: `district` (district_admin of 116), `muongla` (district_admin of 120),
/// `commune` (feedback_officer of Phường Chiềng Lề, 3646), `auditor` (auditor of 116), `province` (province_admin).
package struct FeedbackTestCase {
    package let db: TestDatabase
    package let database: Database
    package let client: any TestClientProtocol
    package let districts: TwoDistricts
    /// API keys by partner name.
    package let keys: [String: String]
    /// Staff bearer tokens by account name.
    package let tokens: [String: String]
    /// The limits on public traffic in force.
    package let traffic: PublicTraffic

    /// - Parameters:
    ///   - logger: what the server and its pool log to (the tests' logger unless told).
    ///   - acquireTimeout: how long a request may wait for one of the pool's 8 connections (the test database's 120 s unless told).
    ///   - publicTraffic: the limits on public traffic (none unless told: ``PublicTrafficTests`` tests them).
    ///   - live: served on a loopback port rather than called in process, for tests of client addresses and load.
    package static func run(
        logger: Logger = TestDatabase.logger,
        acquireTimeout: Duration? = nil,
        publicTraffic: PublicTrafficLimits = .unlimited,
        live: Bool = false,
        _ body: @Sendable (FeedbackTestCase) async throws -> Void
    ) async throws {
        try await TestDatabase.withFresh { db in
            var endpoint = db.application
            if let acquireTimeout { endpoint.acquireTimeout = acquireTimeout }
            try await Database.withDatabase(endpoint, logger: logger) { database in
                let districts = try await TwoDistricts.insert(into: database)
                let plane = ControlPlane(database: database)
                var keys: [String: String] = [:]
                for (name, reach, hook) in [
                    ("citizen-app", Set([TenantID(116)]), "https://hooks.citizen.example/cds"), ("smart-city", nil, nil),
                ] as [(String, Set<TenantID>?, String?)] {
                    keys[name] = try await plane.registerPartnerApp(
                        name: name,
                        districts: reach,
                        webhookURL: hook,
                        actor: .operator("test")
                    ).apiKey
                }
                var tokens: [String: String] = [:]
                for (name, role, unit) in [
                    ("district", "district_admin", 116), ("muongla", "district_admin", 120), ("commune", "feedback_officer", 3646),
                    ("auditor", "auditor", 116), ("province", "province_admin", 14),
                ] {
                    let id = try await plane.createStaffUser(name: name, displayName: nil, homeUnit: unit, actor: .operator("test"))
                    try await plane.grant(role: role, unitCode: unit, to: id, grantedBy: nil, actor: .operator("test"))
                    tokens[name] = try await plane.issueToken(for: id, issuedWith: nil, label: nil, expiresAt: nil, actor: .operator("test")).token
                }
                let configuration = ServerConfiguration(database: .init(dataDirectory: URL(fileURLWithPath: "/nonexistent")))
                let traffic = PublicTraffic(publicTraffic)
                let app = try Server.buildApplication(configuration: configuration, database: database, logger: logger, traffic: traffic)
                let frozenKeys = keys
                let frozenTokens = tokens
                try await app.test(live ? .live : .router) { client in
                    try await body(
                        FeedbackTestCase(
                            db: db,
                            database: database,
                            client: client,
                            districts: districts,
                            keys: frozenKeys,
                            tokens: frozenTokens,
                            traffic: traffic
                        )
                    )
                }
            }
        }
    }

    package struct Answer {
        package let status: Int
        package let body: String
        package let headers: HTTPFields

        /// The body as JSON.
        package var json: Any? { try? JSONSerialization.jsonObject(with: Data(body.utf8)) }
        /// The body as a JSON array of objects (Open311's lists and errors).
        package var list: [[String: Any]] { json as? [[String: Any]] ?? [] }

        package init(status: Int, body: String, headers: HTTPFields) {
            self.status = status
            self.body = body
            self.headers = headers
        }
    }

    /// Sends `method` to the admin API as the staff account `account`, with a JSON `body` and other `headers`.
    package func staff(
        _ method: HTTPRequest.Method,
        _ uri: String,
        as account: String,
        body: String? = nil,
        headers: HTTPFields = [:]
    ) async throws -> Answer {
        var headers = headers
        headers[.authorization] = "Bearer \(tokens[account] ?? account)"
        if body != nil { headers[.contentType] = "application/json" }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { response in
            OpenAPIContract.adminAPI.record(method: method, uri: uri, response: response)
            return Answer(status: response.status.code, body: String(buffer: response.body), headers: response.headers)
        }
    }

    package func get(_ uri: String, headers: HTTPFields = [:]) async throws -> Answer {
        try await client.execute(uri: uri, method: .get, headers: headers) { response in
            OpenAPIContract.adminAPI.record(method: .get, uri: uri, response: response)
            return Answer(status: response.status.code, body: String(buffer: response.body), headers: response.headers)
        }
    }

    /// POSTs `fields` form-encoded (the partner's key added as `api_key` when `partner` is given).
    package func postForm(_ uri: String, _ fields: [(String, String)], partner: String?, headers: HTTPFields = [:]) async throws -> Answer {
        var all = fields
        if let partner { all.append(("api_key", keys[partner] ?? partner)) }
        let body = all.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try await postRaw(uri, body: ByteBuffer(string: body), contentType: "application/x-www-form-urlencoded", headers: headers)
    }

    package func postRaw(_ uri: String, body: ByteBuffer, contentType: String, headers: HTTPFields = [:]) async throws -> Answer {
        var headers = headers
        headers[.contentType] = contentType
        return try await client.execute(uri: uri, method: .post, headers: headers, body: body) { response in
            OpenAPIContract.adminAPI.record(method: .post, uri: uri, response: response)
            return Answer(status: response.status.code, body: String(buffer: response.body), headers: response.headers)
        }
    }

    /// How many reports the database holds, every district counted (as the owner, past row-level security).
    package func reportCount() async throws -> Int {
        try await db.superuserRows("SELECT count(*)::int FROM cds.feedback_reports", as: Int.self)[0]
    }

    private static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._*")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
