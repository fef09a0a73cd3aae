import Foundation

extension Wire {
    /// An app that relays citizens' reports (`/v1/partners`), with its districts, webhook URL and rate; its API key
    /// and webhook secret only in the answer that issues them.
    public struct Partner: Codable, Sendable {
        public let id: UUID
        public let name: String
        /// `null`: every district.
        public let districts: [String]?
        public let webhookURL: String?
        public let requestsPerMinute: Int
        /// `active` or `disabled`.
        public let status: String
        /// Only when just issued.
        public let apiKey: String?
        public let webhookSecret: String?
        /// While a replaced webhook secret still signs beside the current one: until when (ISO 8601).
        public let previousWebhookSecretUntil: String?

        public init(
            id: UUID,
            name: String,
            districts: [String]?,
            webhookURL: String?,
            requestsPerMinute: Int,
            status: String,
            apiKey: String?,
            webhookSecret: String?,
            previousWebhookSecretUntil: String?
        ) {
            self.id = id
            self.name = name
            self.districts = districts
            self.webhookURL = webhookURL
            self.requestsPerMinute = requestsPerMinute
            self.status = status
            self.apiKey = apiKey
            self.webhookSecret = webhookSecret
            self.previousWebhookSecretUntil = previousWebhookSecretUntil
        }

        /// `districts` and `webhook_url` written as `null`, not left out; `api_key`, `webhook_secret` and
        /// `previous_webhook_secret_until` left out when absent (`openapi.json` requires the first two, not these).
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(name, forKey: .name)
            try container.encode(districts, forKey: .districts)
            try container.encode(webhookURL, forKey: .webhookURL)
            try container.encode(requestsPerMinute, forKey: .requestsPerMinute)
            try container.encode(status, forKey: .status)
            if let apiKey { try container.encode(apiKey, forKey: .apiKey) }
            if let webhookSecret { try container.encode(webhookSecret, forKey: .webhookSecret) }
            if let previousWebhookSecretUntil { try container.encode(previousWebhookSecretUntil, forKey: .previousWebhookSecretUntil) }
        }
    }
}
