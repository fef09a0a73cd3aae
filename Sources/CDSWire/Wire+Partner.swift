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
        @OmittedWhenAbsent public private(set) var apiKey: String?
        @OmittedWhenAbsent public private(set) var webhookSecret: String?
        /// While a replaced webhook secret still signs beside the current one: until when (ISO 8601).
        @OmittedWhenAbsent public private(set) var previousWebhookSecretUntil: String?

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
    }
}
