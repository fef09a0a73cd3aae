import Metrics

/// The feedback module's counters for `/metrics`: reports filed by channel (`cds_feedback_submitted_total`) and webhook
/// attempts by outcome (`cds_webhook_deliveries_total`: delivered, failed, dead_lettered). Each is counted after its
/// transaction committed, so a count is a report or an attempt that the database holds.
enum FeedbackMetrics {
    enum Channel: String {
        case open311
        case partnerAPI = "partner_api"
    }

    static func filed(_ channel: Channel) {
        Counter(label: "cds_feedback_submitted_total", dimensions: [("channel", channel.rawValue)]).increment()
    }

    static func webhookAttempt(delivered: Bool, deadLettered: Bool) {
        let outcome = delivered ? "delivered" : deadLettered ? "dead_lettered" : "failed"
        Counter(label: "cds_webhook_deliveries_total", dimensions: [("outcome", outcome)]).increment()
    }
}
