import Foundation

extension Wire {
    /// A one-time link with which a person chooses the account's password for the web console
    /// (`POST /v1/users/{id}/invitations`): shown once, usable once, for 48 hours.
    public struct Invitation: Codable, Sendable {
        public let userID: UUID
        /// The link's path on the server that issued it, `/console/invitation/cdsi_…`.
        public let path: String
        public let expiresAt: String

        public init(userID: UUID, path: String, expiresAt: String) {
            self.userID = userID
            self.path = path
            self.expiresAt = expiresAt
        }
    }
}
