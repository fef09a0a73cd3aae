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

        public init(
            code: String,
            name: String,
            level: String,
            divisionType: String,
            parentCode: String?,
            districtCode: Int?,
            validFrom: String?,
            validTo: String?
        ) {
            self.code = code
            self.name = name
            self.level = level
            self.divisionType = divisionType
            self.parentCode = parentCode
            self.districtCode = districtCode
            self.validFrom = validFrom
            self.validTo = validTo
        }
    }
}
