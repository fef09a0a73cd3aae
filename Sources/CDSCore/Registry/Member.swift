import Foundation

/// A member of a team. Phone, birth year and ethnicity are personal data.
public struct Member: Hashable, Sendable {
    public enum Gender: String, CaseIterable, Codable, Hashable, Sendable { case male, female }
    public enum Role: String, CaseIterable, Codable, Hashable, Sendable { case leader, deputy, member }

    /// Who the member is besides being on the team; the teams are built from these people.
    public enum Affiliation: String, CaseIterable, Codable, Hashable, Sendable {
        case hamletHead = "hamlet_head"
        case communeOfficial = "commune_official"
        case police
        case youthUnion = "youth_union"
        case womenUnion = "women_union"
        case veteransAssociation = "veterans_association"
        case farmersAssociation = "farmers_association"
        case teacher
        case healthWorker = "health_worker"
        case telecomStaff = "telecom_staff"
        case partyCell = "party_cell"
        case resident
        case other
    }

    public var fullName: PersonName
    public var gender: Gender?
    public var birthYear: Int?
    public var ethnicity: String?
    public var phone: PhoneNumber?
    public var role: Role
    public var affiliation: Affiliation
    public var hasSmartphone: Bool
    public var trained: Bool

    /// Members are adults or older teenagers (youth union members from 16); 100 is the oldest plausible age.
    public static func plausibleBirthYears(in referenceYear: Int) -> ClosedRange<Int> {
        (referenceYear - 100)...(referenceYear - 15)
    }

    /// - Throws: ``ValidationError`` for the first field that cannot be normalised.
    public init(
        fullName: String,
        gender: Gender?,
        birthYear: Int?,
        ethnicity: String?,
        phone: String?,
        role: Role,
        affiliation: Affiliation,
        hasSmartphone: Bool,
        trained: Bool = false,
        referenceYear: Int = Calendar(identifier: .gregorian).component(.year, from: Date())
    ) throws(ValidationError) {
        self.fullName = try PersonName(fullName)
        self.gender = gender
        self.birthYear = try Self.birthYear(birthYear, referenceYear: referenceYear)
        self.ethnicity = try Self.ethnicity(ethnicity)
        self.phone = try Self.phone(phone)
        self.role = role
        self.affiliation = affiliation
        self.hasSmartphone = hasSmartphone
        self.trained = trained
    }

    /// A birth year, checked against ``plausibleBirthYears(in:)``; for changes of one field.
    public static func birthYear(
        _ year: Int?,
        referenceYear: Int = Calendar(identifier: .gregorian).component(.year, from: Date())
    ) throws(ValidationError) -> Int? {
        let range = plausibleBirthYears(in: referenceYear)
        if let year, !range.contains(year) {
            throw ValidationError(field: "birth_year", code: .outOfRange, message: "must be between \(range.lowerBound) and \(range.upperBound)")
        }
        return year
    }

    /// An ethnicity (Kinh, Thái, Mông, …), normalised; nil when blank.
    public static func ethnicity(_ text: String?) throws(ValidationError) -> String? {
        try VietnameseText.optional(text, field: "ethnicity", maxLength: 40)
    }

    /// A phone number in its national form; nil when blank.
    public static func phone(_ text: String?) throws(ValidationError) -> PhoneNumber? {
        guard let text, !VietnameseText.normalized(text).isEmpty else { return nil }
        return try PhoneNumber(text)
    }
}
