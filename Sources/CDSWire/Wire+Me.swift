import Foundation

extension Wire {
    /// Who the caller is (`/v1/me`): its grants, the districts they reach and the permissions they give.
    public struct Me: Codable, Sendable {
        /// A grant as its holder sees it: the role and where.
        public struct Grant: Codable, Sendable {
            public let role: String
            public let unitCode: String

            public init(role: String, unitCode: String) {
                self.role = role
                self.unitCode = unitCode
            }
        }

        public let id: UUID
        public let name: String
        /// `staff`, `partner_app` or `sync_client`.
        public let kind: String
        public let grants: [Grant]
        public let districts: [Int]
        public let permissions: [String]

        public init(id: UUID, name: String, kind: String, grants: [Grant], districts: [Int], permissions: [String]) {
            self.id = id
            self.name = name
            self.kind = kind
            self.grants = grants
            self.districts = districts
            self.permissions = permissions
        }
    }
}
