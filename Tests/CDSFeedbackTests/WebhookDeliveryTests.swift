import AsyncHTTPClient
import CDSDatabase
import CDSFeedback
import CDSTestSupport
import Crypto
import Foundation
import Logging
import Testing

@Suite struct WebhookDeliveryTests {
    /// The test vector of the Standard Webhooks specification (checked against its Python library too).
    @Test func signaturesFollowStandardWebhooks() throws {
        let secret = try #require(Data(base64Encoded: "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
        let signature = WebhookSignature.sign(
            id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
            timestamp: 1_614_265_330,
            body: Data(#"{"test": 2432232314}"#.utf8),
            secret: secret
        )
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }

    static func refused(_ url: String, allowLoopback: Bool) -> Bool {
        do {
            try WebhookTarget.check(url, allowLoopback: allowLoopback)
            return false
        } catch {
            return true
        }
    }

    @Test func privateAndLoopbackTargetsAreRefused() {
        for url in [
            "http://127.0.0.1:9/hook", "http://10.1.2.3/hook", "https://192.168.1.1/", "http://169.254.169.254/latest", "http://[::1]/x",
            "http://100.64.0.1/", "http://[fd00::1]/", "http://0.0.0.0/", "ftp://a.vn/x", "nohost",
        ] {
            #expect(Self.refused(url, allowLoopback: false), "\(url)")
        }
        #expect(Self.refused("http://10.0.0.1/hook", allowLoopback: true))
        #expect(!Self.refused("http://127.0.0.1:9/hook", allowLoopback: true))
        #expect(!Self.refused("http://8.8.8.8/hook", allowLoopback: false))
    }

    /// Status changes queued while the partner's endpoint is down are delivered once it is up: nothing lost, the
    /// same webhook-id on every attempt, each signature valid.
    @Test func aReceiverDownThenUpGetsEveryChange() async throws {
        try await FeedbackTestCase.run { test in
            let port = try freeLoopbackPort()
            let plane = ControlPlane(database: test.database)
            let credentials = try await plane.registerPartnerApp(
                name: "hook-app",
                districts: nil,
                webhookURL: "http://127.0.0.1:\(port)/hook",
                actor: .operator("test")
            )
            let secret = try #require(credentials.webhookSecret.flatMap { Data(base64Encoded: String($0.dropFirst("whsec_".count))) })
            let code = try await test.file(as: credentials.apiKey)
            #expect(try await test.transition(code, #"{"status": "accepted", "public_message": "Đã tiếp nhận."}"#).status == 200)
            #expect(try await test.transition(code, #"{"status": "in_progress"}"#).status == 200)

            var settings = WebhookDelivery.Settings()
            settings.allowLoopback = true
            settings.firstBackoff = 0
            settings.requestTimeout = .seconds(2)
            let worker = WebhookDelivery(database: test.database, settings: settings, logger: Logger(label: "test"))
            let client = HTTPClient.shared
            // Down: both attempted, both failed, neither lost.
            #expect(try await worker.deliverDue(with: client) == 2)
            let pending = try await test.db.superuserRows(
                "SELECT count(*)::int FROM cds.webhook_deliveries WHERE delivered_at IS NULL AND dead_at IS NULL AND last_error IS NOT NULL",
                as: Int.self
            )[0]
            #expect(pending == 2)
            // Up.
            let receiver = WebhookReceiver()
            let delivered = try await receiver.listen(on: port) { try await worker.deliverDue(with: client) }
            #expect(delivered == 2)
            let received = await receiver.received
            #expect(received.count == 2)
            let ids = try await test.db.superuserRows("SELECT message_id FROM cds.webhook_deliveries ORDER BY id", as: String.self)
            #expect(received.compactMap { $0.headers[.init("webhook-id")!] }.sorted() == ids.sorted())
            for message in received {
                let id = try #require(message.headers[.init("webhook-id")!])
                let timestamp = try #require(message.headers[.init("webhook-timestamp")!].flatMap(Int.init))
                let signature = WebhookSignature.sign(id: id, timestamp: timestamp, body: message.body, secret: secret)
                #expect(message.headers[.init("webhook-signature")!] == signature)
                let payload = try JSONSerialization.jsonObject(with: message.body) as? [String: Any]
                #expect((payload?["data"] as? [String: Any])?["tracking_code"] as? String == code)
            }
            #expect(
                try await test.db.superuserRows("SELECT count(*)::int FROM cds.webhook_deliveries WHERE delivered_at IS NOT NULL", as: Int.self)[0]
                    == 2
            )
            #expect(try await worker.deliverDue(with: client) == 0)
        }
    }

    @Test func aMessageNeverDeliveredIsDeadLetteredAfterItsRetryWindow() async throws {
        try await FeedbackTestCase.run { test in
            let port = try freeLoopbackPort()
            let credentials = try await ControlPlane(database: test.database).registerPartnerApp(
                name: "gone-app",
                districts: nil,
                webhookURL: "http://127.0.0.1:\(port)/hook",
                actor: .operator("test")
            )
            let code = try await test.file(as: credentials.apiKey)
            #expect(try await test.transition(code, #"{"status": "accepted"}"#).status == 200)
            var settings = WebhookDelivery.Settings()
            settings.allowLoopback = true
            settings.firstBackoff = 0
            settings.requestTimeout = .seconds(2)
            settings.retryFor = 0
            let worker = WebhookDelivery(database: test.database, settings: settings, logger: Logger(label: "test"))
            let client = HTTPClient.shared
            #expect(try await worker.deliverDue(with: client) == 1)
            #expect(
                try await test.db.superuserRows("SELECT count(*)::int FROM cds.webhook_deliveries WHERE dead_at IS NOT NULL", as: Int.self)[0] == 1
            )
            #expect(try await worker.deliverDue(with: client) == 0)
        }
    }
}
