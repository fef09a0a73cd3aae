import CDSCore
import Foundation

/// A report ready to be filed: every field of a ``ReportDraft`` checked and normalised, its category's questions
/// answered as the category asks.
public struct ReportSubmission: Hashable, Sendable {
    /// The citizen's contact: personal data, never shown publicly.
    public struct Contact: Hashable, Sendable {
        public let name: String?
        public let phone: PhoneNumber?
        public let email: String?

        public var isEmpty: Bool { name == nil && phone == nil && email == nil }
    }

    public let category: FeedbackCategory
    public let location: ReportLocation
    public let latitude: Double?
    public let longitude: Double?
    public let address: String?
    public let description: String
    public let mediaURLs: [String]
    public let attributes: [String: [String]]
    public let contact: Contact

    static let maximumDescription = 4000
    static let maximumMediaURLs = 10

    /// Checks every field of `draft`: all the faults found, not only the first.
    /// - Throws: ``SubmissionFaults`` when any field is wrong.
    public static func check(_ draft: ReportDraft, catalogue: FeedbackCatalogue) throws(SubmissionFaults) -> ReportSubmission {
        var faults: [ValidationError] = []
        func checked<Value>(_ body: () throws(ValidationError) -> Value?) -> Value? {
            do { return try body() } catch {
                faults.append(error)
                return nil
            }
        }
        let category = checked { () throws(ValidationError) -> FeedbackCategory? in
            guard let code = draft.categoryCode, !code.isEmpty else {
                throw ValidationError(field: "service_code", code: .required, message: "is required: one of the codes services lists")
            }
            guard let category = catalogue.category(code) else {
                throw ValidationError(field: "service_code", code: .unknownValue, message: "'\(code)' is no service that services lists")
            }
            return category
        }
        let location = checked { () throws(ValidationError) -> ReportLocation? in
            guard let text = draft.location, !text.isEmpty else {
                throw ValidationError(
                    field: "address_id",
                    code: .required,
                    message: "is required: the code of the commune (or hamlet) the report is about, which routes it"
                )
            }
            return try ReportLocation(text, field: "address_id")
        }
        let coordinates = checked { () throws(ValidationError) -> Coordinates? in try Self.coordinates(draft) }
        let address = checked { () throws(ValidationError) -> String? in
            try VietnameseText.optional(draft.address, field: "address_string", maxLength: 500)
        }
        let description = checked { () throws(ValidationError) -> String? in
            guard let text = try VietnameseText.paragraphs(draft.description, field: "description", maxLength: maximumDescription) else {
                throw ValidationError(field: "description", code: .required, message: "is required: what the citizen reports")
            }
            return text
        }
        let media = checked { () throws(ValidationError) -> [String]? in try Self.mediaURLs(draft.mediaURLs) }
        let name = checked { () throws(ValidationError) -> String? in try VietnameseText.optional(draft.contactName, field: "name", maxLength: 200) }
        let phone = checked { () throws(ValidationError) -> PhoneNumber? in
            guard let text = draft.contactPhone, !text.isEmpty else { return nil }
            return try PhoneNumber(text, field: "phone")
        }
        let email = checked { () throws(ValidationError) -> String? in try Self.email(draft.contactEmail) }
        let attributes = category.map { category in
            checkAttributes(draft.attributes, of: category, faults: &faults)
        }
        guard faults.isEmpty, let category, let location, let description, let attributes else {
            throw SubmissionFaults(faults: faults)
        }
        return ReportSubmission(
            category: category,
            location: location,
            latitude: coordinates?.latitude,
            longitude: coordinates?.longitude,
            address: address,
            description: description,
            mediaURLs: media ?? [],
            attributes: attributes,
            contact: Contact(name: name, phone: phone, email: email)
        )
    }

    private typealias Coordinates = (latitude: Double, longitude: Double)

    /// Both or neither, as numbers, in Vietnam (a latitude and longitude swapped land far outside it).
    private static func coordinates(_ draft: ReportDraft) throws(ValidationError) -> Coordinates? {
        let latitude = draft.latitude.flatMap { $0.isEmpty ? nil : $0 }
        let longitude = draft.longitude.flatMap { $0.isEmpty ? nil : $0 }
        guard latitude != nil || longitude != nil else { return nil }
        guard let latitude, let longitude else {
            throw ValidationError(field: latitude == nil ? "lat" : "long", code: .inconsistent, message: "lat and long come together")
        }
        guard let lat = Double(latitude), lat.isFinite else {
            throw ValidationError(field: "lat", code: .invalidFormat, message: "must be a decimal latitude (WGS84)")
        }
        guard let long = Double(longitude), long.isFinite else {
            throw ValidationError(field: "long", code: .invalidFormat, message: "must be a decimal longitude (WGS84)")
        }
        guard (8.0...24.0).contains(lat), (102.0...110.0).contains(long) else {
            throw ValidationError(field: "lat", code: .outOfRange, message: "lat \(lat), long \(long) is not in Vietnam (lat and long swapped?)")
        }
        return (latitude: lat, longitude: long)
    }

    private static func mediaURLs(_ texts: [String]) throws(ValidationError) -> [String] {
        let urls = texts.filter { !$0.isEmpty }
        guard urls.count <= maximumMediaURLs else {
            throw ValidationError(field: "media_url", code: .outOfRange, message: "at most \(maximumMediaURLs) media URLs")
        }
        for text in urls {
            guard text.utf8.count <= 2000, let url = URL(string: text), url.scheme?.lowercased() == "https",
                let host = url.host, !host.isEmpty
            else {
                throw ValidationError(field: "media_url", code: .invalidFormat, message: "must be https URLs of at most 2,000 characters")
            }
        }
        return urls
    }

    private static func email(_ text: String?) throws(ValidationError) -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        guard text.utf8.count <= 254, text.wholeMatch(of: /[^@\s]+@[^@\s]+\.[^@\s]+/) != nil else {
            throw ValidationError(field: "email", code: .invalidFormat, message: "is not an email address")
        }
        return text
    }

    /// The answers to `category`'s questions: each known, the required ones given, list answers among the values.
    private static func checkAttributes(
        _ answers: [String: [String]],
        of category: FeedbackCategory,
        faults: inout [ValidationError]
    ) -> [String: [String]] {
        var checked: [String: [String]] = [:]
        for code in answers.keys.sorted() where !category.attributes.contains(where: { $0.code == code }) {
            faults.append(ValidationError(field: "attribute[\(code)]", code: .unknownValue, message: "is no question of \(category.code)"))
        }
        for attribute in category.attributes {
            let field = "attribute[\(attribute.code)]"
            let values = (answers[attribute.code] ?? []).filter { !$0.isEmpty }
            guard !values.isEmpty else {
                if attribute.required { faults.append(ValidationError(field: field, code: .required, message: "is required")) }
                continue
            }
            let keys = Set(attribute.values?.map(\.key) ?? [])
            switch attribute.datatype {
            case "singlevaluelist" where values.count != 1 || !keys.contains(values[0]),
                "multivaluelist" where !values.allSatisfy(keys.contains):
                faults.append(
                    ValidationError(field: field, code: .unknownValue, message: "must be one of \(keys.sorted().joined(separator: ", "))")
                )
            case "number" where values.count != 1 || Double(values[0]) == nil:
                faults.append(ValidationError(field: field, code: .invalidFormat, message: "must be a number"))
            case _ where values.contains(where: { $0.utf8.count > 1000 }):
                faults.append(ValidationError(field: field, code: .tooLong, message: "is longer than 1,000 bytes"))
            default:
                checked[attribute.code] = values
            }
        }
        return checked
    }
}

/// The faults of a report's fields, every one.
public struct SubmissionFaults: Error, Sendable {
    public let faults: [ValidationError]
}
