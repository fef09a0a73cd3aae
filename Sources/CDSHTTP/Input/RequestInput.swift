import CDSCore
import Foundation
import Hummingbird

/// Text that a client sends in a path or query: checked before it reaches SQL, so that what PostgreSQL
/// would refuse (a NUL character, an overlong value) is a 400 with the field's name, never a 500.
package enum RequestInput {
    package static func text(_ value: Substring?, field: String, maxLength: Int) throws -> String? {
        guard let value else { return nil }
        // Code points, as PostgreSQL counts them: not Characters, which stacked combining marks make far fewer.
        guard value.unicodeScalars.count <= maxLength else {
            throw ProblemDetails.badRequest(
                "\(field) is too long",
                errors: [.init(field: field, code: .tooLong, message: "must be at most \(maxLength) characters")]
            )
        }
        guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw ProblemDetails.badRequest(
                "\(field) contains control characters",
                errors: [.init(field: field, code: .invalidCharacters, message: "must not contain control characters")]
            )
        }
        return String(value)
    }

    /// A unit code: a GSO code (`3646`) or a hamlet code (`3646-001`); the pattern the OpenAPI document declares.
    package static func unitCode(_ value: Substring?, field: String) throws -> String? {
        guard let value else { return nil }
        let parts = value.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        let digits = { (part: Substring, range: ClosedRange<Int>) in range.contains(part.count) && part.allSatisfy { $0.isASCII && $0.isNumber } }
        guard digits(parts[0], 1...6), parts.count == 1 || digits(parts[1], 3...5) else {
            throw ProblemDetails.badRequest(
                "\(field) is not a unit code",
                errors: [.init(field: field, code: .invalidFormat, message: "must be a GSO code such as 3646 or a hamlet code such as 3646-001")]
            )
        }
        return String(value)
    }

    /// The GSO code of a province, district or commune that the unit tree holds: 400 when malformed, 422 when unknown.
    package static func nationalUnitCode(_ value: String, field: String, known policy: AccessPolicy) throws -> Int {
        guard (1...6).contains(value.count), value.allSatisfy({ $0.isASCII && $0.isNumber }), let code = Int(value) else {
            throw ProblemDetails.badRequest(
                "\(field) is not a national unit code",
                errors: [.init(field: field, code: .invalidFormat, message: "must be the GSO code of a province, district or commune")]
            )
        }
        guard policy.level(of: code) != nil else {
            throw ProblemDetails.invalidValue(field: field, code: .unknownValue, "no province, district or commune has the code \(code)")
        }
        return code
    }

    /// A list's cursor: the id after which the page starts; the smallest id when absent.
    package static func cursor(_ value: Substring?) throws -> UUID {
        try value.map { try uuid($0, field: "cursor") } ?? UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
    }

    /// An id: a UUID.
    package static func uuid(_ value: Substring?, field: String) throws -> UUID {
        guard let value, let id = UUID(uuidString: String(value)) else {
            throw ProblemDetails.badRequest(
                "\(field) is not an id",
                errors: [.init(field: field, code: .invalidFormat, message: "must be a UUID")]
            )
        }
        return id
    }
}

extension RequestInput {
    /// A calendar date, `YYYY-MM-DD`, between 1900 and 2100 (what PostgreSQL's `date` and people can use).
    package static func date(_ value: Substring?, field: String) throws -> String? {
        guard let value else { return nil }
        do throws(ValidationError) {
            return try CalendarDate.validated(value, field: field)
        } catch {
            throw ProblemDetails.badRequest("\(field) is not a date", errors: [.init(field: field, code: .invalidFormat, message: error.message)])
        }
    }

    /// One of `allowed`, or a 400 that lists them.
    package static func choice(_ value: Substring?, field: String, among allowed: [String]) throws -> String? {
        guard let value else { return nil }
        guard allowed.contains(String(value)) else {
            throw ProblemDetails.badRequest(
                "\(field) has an unknown value",
                errors: [.init(field: field, code: .unknownValue, message: "must be one of \(allowed.joined(separator: ", "))")]
            )
        }
        return String(value)
    }

    /// One of an enumeration's raw values.
    package static func choice<Value: RawRepresentable & CaseIterable>(_ text: String?, field: String, _ type: Value.Type) throws -> Value?
    where Value.RawValue == String {
        try choice(text.map { Substring($0) }, field: field, among: Value.allCases.map(\.rawValue)).flatMap(Value.init(rawValue:))
    }
}
