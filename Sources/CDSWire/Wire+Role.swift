extension Wire {
    /// A role and the permissions it gives (`/v1/roles`).
    public struct Role: Codable, Sendable {
        public let name: String
        public let description: String
        public let builtIn: Bool
        /// Where the role may be granted: `province`, `district` or `commune`.
        public let level: String
        public let permissions: [String]

        public init(name: String, description: String, builtIn: Bool, level: String, permissions: [String]) {
            self.name = name
            self.description = description
            self.builtIn = builtIn
            self.level = level
            self.permissions = permissions
        }
    }
}
