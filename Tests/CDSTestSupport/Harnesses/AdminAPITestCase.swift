import CDSAdminAPI
import CDSDatabase
import CDSHTTP
import CDSServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// A test database, the HTTP application on it, and a staff account per role to call it with.
package struct AdminAPITestCase {
    package let db: TestDatabase
    package let client: any TestClientProtocol
    /// Tokens by account: `province` (province_admin on 14), `district` (district_admin on 116),
    /// `officer` (commune_officer on 3646), `muongla` (district_admin on 120).
    package let tokens: [String: String]

    @discardableResult
    package static func run<Result: Sendable>(
        rateLimit: RateLimit? = RateLimit(perMinute: 1200),
        logger: Logger = TestDatabase.logger,
        cache: ControlPlaneCache? = nil,
        _ body: @Sendable (AdminAPITestCase) async throws -> Result
    ) async throws -> Result {
        try await TestDatabase.withFresh { db in
            try await Database.withDatabase(db.application, logger: TestDatabase.logger) { database in
                let plane = ControlPlane(database: database)
                var tokens: [String: String] = [:]
                for (name, role, unit) in [
                    ("province", "province_admin", 14), ("district", "district_admin", 116), ("officer", "commune_officer", 3646),
                    ("muongla", "district_admin", 120),
                ] {
                    let id = try await plane.createStaffUser(name: name, displayName: nil, homeUnit: unit, actor: .operator("test"))
                    try await plane.grant(role: role, unitCode: unit, to: id, grantedBy: nil, actor: .operator("test"))
                    tokens[name] = try await plane.issueToken(for: id, issuedWith: nil, label: nil, expiresAt: nil, actor: .operator("test")).token
                }
                var configuration = ServerConfiguration(
                    database: .init(dataDirectory: URL(fileURLWithPath: "/nonexistent")),
                    rateLimit: rateLimit
                )
                configuration.publicTraffic = .unlimited
                let app = try Server.buildApplication(
                    configuration: configuration,
                    database: database,
                    logger: logger,
                    cache: cache,
                    passwordCost: 4
                )
                let frozenTokens = tokens
                return try await app.test(.router) { client in
                    try await body(AdminAPITestCase(db: db, client: client, tokens: frozenTokens))
                }
            }
        }
    }

    /// Inserts the ``TwoDistricts`` fixture: a hamlet, its team and a member in districts 116 and 120.
    package func insertTwoDistricts() async throws -> TwoDistricts {
        try await Database.withDatabase(db.application, logger: TestDatabase.logger) { app in
            try await TwoDistricts.insert(into: app)
        }
    }

    /// GET `uri` as `account` (no token when `nil`), decoded as JSON when `status` matches.
    package func get(_ uri: String, as account: String?) async throws -> (status: Int, json: Any?, headers: HTTPFields) {
        try await send(.get, uri, as: account)
    }

    /// The `ETag` of `uri` as `account` reads it now, to send back in `If-Match`.
    package func etag(_ uri: String, as account: String) async throws -> String {
        let read = try await get(uri, as: account)
        return try #require(read.headers[.eTag], "GET \(uri) as \(account) answered \(read.status) without an ETag")
    }

    /// Sends `method` to `uri` as `account` (a name of ``tokens``, or a raw token), with a JSON `body`.
    package func send(
        _ method: HTTPRequest.Method,
        _ uri: String,
        as account: String?,
        body: String? = nil,
        ifMatch: String? = nil
    ) async throws -> (status: Int, json: Any?, headers: HTTPFields) {
        var headers = HTTPFields()
        if let account { headers[.authorization] = "Bearer \(tokens[account] ?? account)" }
        if let ifMatch { headers[.ifMatch] = ifMatch }
        if body != nil { headers[.contentType] = "application/json" }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { response in
            let data = Data(buffer: response.body)
            OpenAPIContract.adminAPI.record(method: method, uri: uri, response: response)
            return (response.status.code, try? JSONSerialization.jsonObject(with: data), response.headers)
        }
    }
}
