import Foundation

extension Wire {
    /// A provincial system registered to sync rosters (`/v1/sync-clients`), known by its client certificate.
    public struct SyncClient: Codable, Sendable {
        public let id: UUID
        public let name: String
        /// The SHA-256 of the client certificate's DER encoding, in lowercase hex.
        public let certificateSHA256: String
        /// `null`: every district.
        public let districts: [String]?
        /// `null`: every source (the development client only).
        public let sources: [String]?
        /// `active` or `disabled`.
        public let status: String

        public init(id: UUID, name: String, certificateSHA256: String, districts: [String]?, sources: [String]?, status: String) {
            self.id = id
            self.name = name
            self.certificateSHA256 = certificateSHA256
            self.districts = districts
            self.sources = sources
            self.status = status
        }
    }
}
