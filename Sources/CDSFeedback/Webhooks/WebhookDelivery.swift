import AsyncHTTPClient
import CDSCore
import CDSDatabase
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import PostgresNIO
import ServiceLifecycle

/// cds-server's webhook worker: sends the outbox's messages to the partners' URLs, signed per Standard Webhooks,
/// each message with the same `webhook-id` on every attempt. A message is claimed for a lease (so a worker that dies
/// mid-send leaves it to be sent again), sent, and marked delivered on a 2xx; otherwise retried with exponential
/// back-off and jitter for `retryFor` after it was queued, then dead-lettered for an operator to redeliver
/// (`cds-admin feedback webhooks redeliver`, which starts its window again).
public struct WebhookDelivery: Service {
    public struct Settings: Sendable {
        /// Development only: webhook URLs on loopback are let through.
        public var allowLoopback = false
        public var pollInterval: Duration = .seconds(2)
        public var batchSize = 20
        public var requestTimeout: TimeAmount = .seconds(10)
        /// How long after it was queued a message is retried before it is dead-lettered.
        public var retryFor: TimeInterval = 24 * 3600
        /// The first retry's delay, doubled each attempt up to `maximumBackoff`, each drawn between half and all of it.
        public var firstBackoff: TimeInterval = 30
        public var maximumBackoff: TimeInterval = 3600
        /// How long a claimed message is left alone before another attempt may claim it.
        public var lease: TimeInterval = 300

        public init() {}
    }

    let database: Database
    let settings: Settings
    let logger: Logger
    let resolver: WebhookTarget.Resolver

    /// - Parameter resolver: how targets' host names are resolved (the system's resolver unless a test says).
    public init(
        database: Database,
        settings: Settings = Settings(),
        logger: Logger,
        resolver: @escaping WebhookTarget.Resolver = WebhookTarget.resolve
    ) {
        self.database = database
        self.settings = settings
        self.logger = logger
        self.resolver = resolver
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let sent = (try? await deliverDue()) ?? 0
                if sent == 0 { try? await Task.sleep(for: settings.pollInterval) }
            }
        }
    }

    struct Claimed {
        let district: Int
        let id: Int64
        let messageID: String
        let body: Data
        /// When its retry window began (queued, or redelivered by an operator).
        let windowStart: Date
        let attempts: Int
        let url: String?
        /// The partner's secret, and the one it replaced while that still signs beside it.
        let secrets: [Data]
        let partnerActive: Bool
    }

    /// Claims up to `limit` of `district`'s due messages for a lease, oldest first.
    private func claim(in district: Int, upTo limit: Int, _ transaction: borrowing TenantTransaction) async throws -> [Claimed] {
        var claimed: [Claimed] = []
        for try await row in try await transaction.query(
            """
            UPDATE cds.webhook_deliveries d
            SET attempts = d.attempts + 1, last_attempt_at = now(), next_attempt_at = now() + \(settings.lease) * interval '1 second'
            FROM (SELECT tenant_id, id FROM cds.webhook_deliveries
                  WHERE tenant_id = \(district) AND delivered_at IS NULL AND dead_at IS NULL AND next_attempt_at <= now()
                  ORDER BY next_attempt_at LIMIT \(limit) FOR UPDATE SKIP LOCKED) AS due,
                 cds.partner_apps p
            WHERE d.tenant_id = \(district) AND d.tenant_id = due.tenant_id AND d.id = due.id AND p.id = d.partner_id
            RETURNING d.tenant_id, d.id, d.message_id, d.payload::text, d.window_started_at, d.attempts, p.webhook_url, p.webhook_secret,
                      p.previous_webhook_secret, p.previous_webhook_secret_until, p.status = 'active'
            """
        ) {
            var cells = row.makeIterator()
            let district = try cells.decode(Int.self)
            let id = try cells.decode(Int64.self)
            let messageID = try cells.decode(String.self)
            let body = Data(try cells.decode(String.self).utf8)
            let windowStart = try cells.decode(Date.self)
            let attempts = try cells.decode(Int.self)
            let url = try cells.decode(String?.self)
            let secret = try cells.decode(Data.self)
            // The replaced secret signs beside the new one until its overlap ends, compared here: Citus refuses a
            // function that is not immutable, as now(), in RETURNING.
            let previous = try cells.decode(Data?.self)
            let previousUntil = try cells.decode(Date?.self)
            claimed.append(
                Claimed(
                    district: district,
                    id: id,
                    messageID: messageID,
                    body: body,
                    windowStart: windowStart,
                    attempts: attempts,
                    url: url,
                    secrets: [secret] + [previousUntil.flatMap { $0 > Date() ? previous : nil }].compactMap { $0 },
                    partnerActive: try cells.decode(Bool.self)
                )
            )
        }
        return claimed
    }

    /// One batch of due messages: claimed, sent, their outcome recorded. The number sent.
    ///
    /// The messages are claimed district by district, the district with the oldest due message first, until the batch
    /// is full: on a Citus cluster rows are locked (`FOR UPDATE SKIP LOCKED`) only by a statement routed to one shard.
    @discardableResult
    public func deliverDue() async throws -> Int {
        let scope = try await database.provinceScope()
        let actor = AuditActor(kind: "worker", name: "webhooks")
        let claimed = try await database.withTenantScope(scope, actor: actor) { transaction in
            let districts = try await transaction.rows(
                """
                SELECT tenant_id FROM cds.webhook_deliveries
                WHERE delivered_at IS NULL AND dead_at IS NULL AND next_attempt_at <= now()
                GROUP BY tenant_id ORDER BY min(next_attempt_at)
                """,
                as: Int.self
            )
            var claimed: [Claimed] = []
            for district in districts where claimed.count < settings.batchSize {
                claimed += try await claim(in: district, upTo: settings.batchSize - claimed.count, transaction)
            }
            return claimed
        }
        // At once: a partner whose endpoint hangs until the timeout holds up no one else's messages.
        let outcomes = await withTaskGroup(of: (Int, String?).self) { group in
            for (index, message) in claimed.enumerated() {
                group.addTask { (index, await send(message)) }
            }
            var outcomes: [Int: String?] = [:]
            for await (index, failure) in group { outcomes[index] = failure }
            return outcomes
        }
        for (index, message) in claimed.enumerated() {
            try await record(message, failure: outcomes[index] ?? "not attempted", scope: scope, actor: actor)
        }
        return claimed.count
    }

    /// Sends one message; nil when the partner answered 2xx, else why not.
    ///
    /// The host is resolved and checked here, once, and the connection goes to the checked address (the host name
    /// kept for SNI and `Host`): a client of its own per message, since AsyncHTTPClient takes the address from its
    /// configuration, and webhooks are few.
    func send(_ message: Claimed) async -> String? {
        guard message.partnerActive else { return "the partner app is disabled" }
        guard let url = message.url else { return "the partner app has no webhook URL" }
        let target: WebhookTarget.Checked
        do throws(WebhookTarget.Refusal) {
            target = try WebhookTarget.check(url, allowLoopback: settings.allowLoopback, resolver: resolver)
        } catch {
            return error.description
        }
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .seconds(5), read: settings.requestTimeout)
        configuration.dnsOverride = [target.host: target.address]
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let failure = await post(message, to: url, with: client)
        try? await client.shutdown()
        return failure
    }

    private func post(_ message: Claimed, to url: String, with client: HTTPClient) async -> String? {
        let timestamp = Int(Date().timeIntervalSince1970)
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "user-agent", value: "cds-server webhooks")
        request.headers.add(name: "webhook-id", value: message.messageID)
        request.headers.add(name: "webhook-timestamp", value: String(timestamp))
        request.headers.add(
            name: "webhook-signature",
            value: message.secrets.map { WebhookSignature.sign(id: message.messageID, timestamp: timestamp, body: message.body, secret: $0) }
                .joined(separator: " ")
        )
        request.body = .bytes(ByteBuffer(bytes: message.body))
        do {
            let response = try await client.execute(request, timeout: settings.requestTimeout)
            _ = try? await response.body.collect(upTo: 64 * 1024)
            return (200..<300).contains(Int(response.status.code)) ? nil : "answered \(response.status.code)"
        } catch {
            return "not delivered: \(error)"
        }
    }

    private func record(_ message: Claimed, failure: String?, scope: TenantScope, actor: AuditActor) async throws {
        let dead = failure != nil && Date().timeIntervalSince(message.windowStart) >= settings.retryFor
        let backoff = min(settings.maximumBackoff, settings.firstBackoff * pow(2, Double(max(0, message.attempts - 1))))
        let delay = backoff * Double.random(in: 0.5...1.0)
        // The outcome's time is bound, as the dead-letter decision's is: Citus refuses now() inside a CASE of an UPDATE.
        let now = Date()
        try await database.withTenantScope(scope, actor: actor) { transaction in
            try await transaction.query(
                """
                UPDATE cds.webhook_deliveries
                SET delivered_at = \(failure == nil ? now : nil), last_error = \(failure.map { String($0.prefix(500)) }),
                    dead_at = \(dead ? now : nil), next_attempt_at = now() + \(delay) * interval '1 second'
                WHERE tenant_id = \(message.district) AND id = \(message.id)
                """
            )
        }
        FeedbackMetrics.webhookAttempt(delivered: failure == nil, deadLettered: dead)
        if let failure {
            logger.warning(
                dead ? "webhook dead-lettered" : "webhook delivery failed",
                metadata: ["cds.webhook": "\(message.messageID)", "cds.attempt": "\(message.attempts)", "cds.error": "\(failure)"]
            )
        }
    }
}
