import Foundation

extension Wire {
    /// A member of a team (`/v1/members`).
    public struct Member: Codable, Sendable {
        /// What only `members.read_personal` shows.
        public struct Personal: Codable, Sendable {
            public let phone: String?
            public let birthYear: Int?
            public let ethnicity: String?

            public init(phone: String?, birthYear: Int?, ethnicity: String?) {
                self.phone = phone
                self.birthYear = birthYear
                self.ethnicity = ethnicity
            }
        }

        public let id: UUID
        public let districtCode: Int
        public let teamID: UUID
        public let communeCode: String
        public let hamletCode: String?
        public let fullName: String
        public let gender: String?
        /// `leader`, `deputy` or `member`.
        public let role: String
        public let affiliation: String
        public let hasSmartphone: Bool
        public let trained: Bool
        public let joinedOn: String?
        public let leftOn: String?
        /// `null` where the caller lacks `members.read_personal`.
        public let personal: Personal?

        public init(
            id: UUID,
            districtCode: Int,
            teamID: UUID,
            communeCode: String,
            hamletCode: String?,
            fullName: String,
            gender: String?,
            role: String,
            affiliation: String,
            hasSmartphone: Bool,
            trained: Bool,
            joinedOn: String?,
            leftOn: String?,
            personal: Personal?
        ) {
            self.id = id
            self.districtCode = districtCode
            self.teamID = teamID
            self.communeCode = communeCode
            self.hamletCode = hamletCode
            self.fullName = fullName
            self.gender = gender
            self.role = role
            self.affiliation = affiliation
            self.hasSmartphone = hasSmartphone
            self.trained = trained
            self.joinedOn = joinedOn
            self.leftOn = leftOn
            self.personal = personal
        }
    }
}
