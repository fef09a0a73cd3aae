extension Wire {
    /// A unit of the tree: province, district, commune or hamlet (`/v1/units`).
    public struct Unit: Codable, Sendable {
        public let code: String
        public let name: String
        public let level: String
        public let divisionType: String
        public let parentCode: String?
        /// `null` for the province.
        public let districtCode: Int?
        public let validFrom: String?
        public let validTo: String?
    }
}
