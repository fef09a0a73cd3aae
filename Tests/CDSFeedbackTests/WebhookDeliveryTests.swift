import AsyncHTTPClient
import CDSDatabase
import CDSFeedback
import CDSTestSupport
import Crypto
import Foundation
import Logging
import Testing

@Suite struct WebhookDeliveryTests {
    /// The delivery connects to the address it checked, not to whatever a second look-up would answer: a name the
    /// system cannot resolve at all is delivered to, because the checked answer is the one used (Host kept).
    @Test func theDeliveryConnectsToTheAddressItChecked() async throws {
        try await FeedbackTestCase.run { test in
            let port = try freeLoopbackPort()
            let credentials = try await ControlPlane(database: test.database).registerPartnerApp(
                name: "named-hook-app",
                districts: nil,
                webhookURL: "http://hooks.partner.invalid:\(port)/hook",
                actor: .operator("test")
            )
            let code = try await test.file(as: credentials.apiKey)
            #expect(try await test.transition(code, #"{"status": "accepted"}"#).status == 200)
            var settings = WebhookDelivery.Settings()
            settings.allowLoopback = true
            settings.requestTimeout = .seconds(5)
            let looked = LookUps()
            let worker = WebhookDelivery(database: test.database, settings: settings, logger: Logger(label: "test")) { host in
                looked.add(host)
                return host == "hooks.partner.invalid" ? [.init(bytes: [127, 0, 0, 1], text: "127.0.0.1")] : []
            }
            let receiver = WebhookReceiver()
            let delivered = try await receiver.listen(on: port) { try await worker.deliverDue() }
            #expect(delivered == 1)
            let received = await receiver.received
            #expect(received.count == 1)
            #expect(received.first?.authority == "hooks.partner.invalid:\(port)")
            #expect(looked.hosts == ["hooks.partner.invalid"])
        }
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
            // Down: both attempted, both failed, neither lost.
            #expect(try await worker.deliverDue() == 2)
            let pending = try await test.db.superuserRows(
                "SELECT count(*)::int FROM cds.webhook_deliveries WHERE delivered_at IS NULL AND dead_at IS NULL AND last_error IS NOT NULL",
                as: Int.self
            )[0]
            #expect(pending == 2)
            // Up.
            let receiver = WebhookReceiver()
            let delivered = try await receiver.listen(on: port) { try await worker.deliverDue() }
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
            #expect(try await worker.deliverDue() == 0)
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
            #expect(try await worker.deliverDue() == 1)
            #expect(
                try await test.db.superuserRows("SELECT count(*)::int FROM cds.webhook_deliveries WHERE dead_at IS NOT NULL", as: Int.self)[0] == 1
            )
            #expect(try await worker.deliverDue() == 0)
        }
    }
}

/// The host names a test resolver was asked for.
final class LookUps: @unchecked Sendable {
    private let lock = NSLock()
    private var asked: [String] = []

    func add(_ host: String) { lock.withLock { asked.append(host) } }
    var hosts: [String] { lock.withLock { asked } }
}
