import CDSDatabase
import CDSFeedback
import CDSHTTP
import CDSTestSupport
import Foundation
import Logging
import PostgresNIO
import Testing

/// A partner's webhook secret replaced with an overlap: its messages carry the new secret's signature and the old
/// one's (Standard Webhooks' space-separated list) until the overlap ends, then the new one's alone. Only the province
/// rotates; neither secret reaches the audit log.
@Suite struct WebhookSecretRotationTests {
    static func secretBytes(_ text: String?) throws -> Data {
        try #require(text.flatMap { Data(base64Encoded: String($0.dropFirst("whsec_".count))) })
    }

    /// The signatures of every message `worker` delivers now.
    static func deliveredSignatures(_ worker: WebhookDelivery, port: Int) async throws -> [(id: String, timestamp: Int, body: Data, signatures: [String])] {
        let receiver = WebhookReceiver()
        #expect(try await receiver.listen(on: port) { try await worker.deliverDue() } == 1)
        return try await receiver.received.map { message in
            (
                try #require(message.headers[.init("webhook-id")!]),
                try #require(message.headers[.init("webhook-timestamp")!].flatMap(Int.init)),
                message.body,
                try #require(message.headers[.init("webhook-signature")!]).split(separator: " ").map(String.init)
            )
        }
    }

    @Test func theOldSecretSignsBesideTheNewOneUntilTheOverlapEnds() async throws {
        try await FeedbackTestCase.run { test in
            let port = try freeLoopbackPort()
            let registered = try await ControlPlane(database: test.database).registerPartnerApp(
                name: "rotating-app",
                districts: nil,
                webhookURL: "http://127.0.0.1:\(port)/hook",
                actor: .operator("test")
            )
            let old = try Self.secretBytes(registered.webhookSecret)
            var settings = WebhookDelivery.Settings()
            settings.allowLoopback = true
            settings.requestTimeout = .seconds(5)
            let worker = WebhookDelivery(database: test.database, settings: settings, logger: Logger(label: "test"))

            // Only the province rotates; bad input changes nothing.
            let uri = "/v1/partners/rotating-app/webhook-secret"
            #expect(try await test.staff(.post, uri, as: "district", body: "{}").status == 403)
            #expect(try await test.staff(.post, uri, as: "commune", body: "{}").status == 403)
            #expect(try await test.staff(.post, uri, as: "cds_not-a-token", body: "{}").status == 401)
            #expect(try await test.staff(.post, uri, as: "province", body: #"{"overlap_hours": 169}"#).status == 422)
            #expect(try await test.staff(.post, uri, as: "province", body: #"{"overlap": 1}"#).status == 400)
            #expect(try await test.staff(.post, "/v1/partners/nobody/webhook-secret", as: "province", body: "{}").status == 404)

            let rotated = try await test.staff(.post, uri, as: "province", body: #"{"overlap_hours": 2}"#)
            #expect(rotated.status == 200)
            let view = try #require(rotated.json as? [String: Any])
            let new = try Self.secretBytes(view["webhook_secret"] as? String)
            #expect(new != old)
            #expect(view["api_key"] == nil)
            let until = try #require((view["previous_webhook_secret_until"] as? String).flatMap { try? Date($0, strategy: .iso8601) })
            #expect(abs(until.timeIntervalSinceNow - 7200) < 120)

            let code = try await test.file(as: registered.apiKey)
            #expect(try await test.transition(code, #"{"status": "accepted"}"#).status == 200)
            let during = try #require(try await Self.deliveredSignatures(worker, port: port).first)
            #expect(
                during.signatures == [new, old].map { WebhookSignature.sign(id: during.id, timestamp: during.timestamp, body: during.body, secret: $0) }
            )

            // The overlap over: the new secret alone.
            try await test.database.withTransaction { connection in
                try await connection.query("SELECT set_config('cds.actor', 'operator:test', true)", logger: TestDatabase.logger)
                try await connection.query(
                    "UPDATE cds.partner_apps SET previous_webhook_secret_until = now() - interval '1 second' WHERE name = 'rotating-app'",
                    logger: TestDatabase.logger
                )
            }
            #expect(try await test.transition(code, #"{"status": "in_progress"}"#).status == 200)
            let after = try #require(try await Self.deliveredSignatures(worker, port: port).first)
            #expect(after.signatures == [WebhookSignature.sign(id: after.id, timestamp: after.timestamp, body: after.body, secret: new)])

            // No overlap asked: the replaced secret stops at once.
            let immediate = try #require(try await test.staff(.post, uri, as: "province", body: #"{"overlap_hours": 0}"#).json as? [String: Any])
            #expect(immediate["previous_webhook_secret_until"] == nil && immediate["webhook_secret"] is String)

            // The audit log says the secrets changed, never what they are.
            let images = try await test.db.superuserRows(
                "SELECT coalesce(before::text, '') || coalesce(after::text, '') FROM cds.control_audit_log WHERE entity = 'partner_apps'",
                as: String.self
            )
            #expect(images.contains { $0.contains(#""previous_webhook_secret": "redacted""#) })
            for secret in [old, new] {
                for encoding in [secret.base64EncodedString(), secret.map { String(format: "%02x", $0) }.joined()] {
                    #expect(!images.contains { $0.contains(encoding) })
                }
            }
        }
    }
}
