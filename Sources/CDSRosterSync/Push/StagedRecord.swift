import CDSCore
import CDSRosterProto
import Crypto
import NIOCore

/// One record of a push, checked field by field as it arrives (the formats CDSCore defines for every surface) and
/// turned into a row of the staging table (``StagingTable``): its kind, its position among the records of its kind,
/// its external id, whether it is valid, and its kind's fields, normalised (a phone in national form, names in NFC).
struct StagedRecord {
    enum Kind: Int, CaseIterable {
        case hamlet = 1
        case team, member, tombstone

        var protoKind: Cds_Roster_V1_RecordKind {
            switch self {
            case .hamlet: .hamlet
            case .team: .team
            case .member: .member
            case .tombstone: .unspecified
            }
        }
    }

    let kind: Kind
    let position: Int
    let externalID: String
    /// The fault that makes it invalid; an invalid record is staged all the same, since a FULL push's snapshot
    /// contains it (its existing counterpart is not deactivated).
    let fault: ValidationError?
    let fields: StagedFields
    /// What the source sent for it, as one number (``StagedFields/digest(kind:externalID:)``): nil for an invalid
    /// record and a tombstone, which the registry never holds as such.
    let digest: Int64?

    static func hamlet(_ record: Cds_Roster_V1_HamletRecord, at position: Int) -> Self {
        make(.hamlet, position, record.externalID) { () throws(ValidationError) -> StagedFields in
            guard let kind = HamletKind(rawValue: record.kind) else {
                throw ValidationError(
                    field: "kind",
                    code: .unknownValue,
                    message: "must be one of \(HamletKind.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            var fields = StagedFields()
            fields.communeCode = try unitCode(record.communeCode, field: "commune_code")
            fields.name = try VietnameseText.required(record.name, field: "name", maxLength: 120)
            fields.hamletKind = kind.rawValue
            return fields
        }
    }

    static func team(_ record: Cds_Roster_V1_TeamRecord, at position: Int) -> Self {
        make(.team, position, record.externalID) { () throws(ValidationError) -> StagedFields in
            guard let level = Team.Level(rawValue: record.level) else {
                throw ValidationError(field: "level", code: .unknownValue, message: "must be commune or hamlet")
            }
            guard (level == .hamlet) == !record.hamletExternalID.isEmpty else {
                throw ValidationError(
                    field: "hamlet_external_id",
                    code: .inconsistent,
                    message: level == .hamlet ? "a hamlet-level team needs its hamlet" : "a commune-level team serves no hamlet"
                )
            }
            var fields = StagedFields()
            fields.level = level.rawValue
            fields.communeCode = try unitCode(record.communeCode, field: "commune_code")
            fields.hamletExternalID = level == .hamlet ? try externalID(record.hamletExternalID, field: "hamlet_external_id") : nil
            fields.name = try VietnameseText.required(record.name, field: "name", maxLength: 200)
            fields.establishedOn =
                record.establishedOn.isEmpty ? nil : try CalendarDate.validated(record.establishedOn, field: "established_on")
            fields.decisionRef = try VietnameseText.optional(record.decisionRef, field: "decision_ref", maxLength: 100)
            return fields
        }
    }

    static func member(_ record: Cds_Roster_V1_MemberRecord, at position: Int) -> Self {
        make(.member, position, record.externalID) { () throws(ValidationError) -> StagedFields in
            let team = try externalID(record.teamExternalID, field: "team_external_id")
            let member = try Member(
                fullName: record.fullName,
                gender: try choice(record.gender, field: "gender", Member.Gender.self),
                birthYear: record.birthYear == 0 ? nil : Int(record.birthYear),
                ethnicity: record.ethnicity.isEmpty ? nil : record.ethnicity,
                phone: record.phone.isEmpty ? nil : record.phone,
                role: try choice(record.role, field: "role", Member.Role.self) ?? .member,
                affiliation: try choice(record.affiliation, field: "affiliation", Member.Affiliation.self) ?? .other,
                hasSmartphone: record.hasSmartphone_p,
                trained: record.trained
            )
            var fields = StagedFields()
            fields.teamExternalID = team
            fields.fullName = member.fullName.value
            fields.gender = member.gender?.rawValue
            fields.birthYear = member.birthYear
            fields.phone = member.phone?.national
            fields.role = member.role.rawValue
            fields.affiliation = member.affiliation.rawValue
            fields.hasSmartphone = member.hasSmartphone
            fields.trained = member.trained
            fields.ethnicity = member.ethnicity
            return fields
        }
    }

    static func tombstone(_ record: Cds_Roster_V1_Tombstone, at position: Int) -> Self {
        make(.tombstone, position, record.externalID) { () throws(ValidationError) -> StagedFields in
            guard let kind = [Cds_Roster_V1_RecordKind.hamlet: Kind.hamlet, .team: .team, .member: .member][record.kind] else {
                throw ValidationError(
                    field: "kind",
                    code: .unknownValue,
                    message: "must be RECORD_KIND_HAMLET, RECORD_KIND_TEAM or RECORD_KIND_MEMBER"
                )
            }
            var fields = StagedFields()
            fields.tombstoneKind = kind.rawValue
            return fields
        }
    }

    /// Appends the row in PostgreSQL's COPY text format: tab-separated, `\N` for null, backslash escapes.
    ///
    /// Written byte by byte into the chunk's buffer, since it runs for every record of every push: the four bytes
    /// COPY escapes are ASCII, so they never occur inside a multi-byte UTF-8 sequence.
    func writeCopyLine(into buffer: inout ByteBuffer) {
        buffer.writeString(String(kind.rawValue))
        buffer.writeInteger(UInt8(ascii: "\t"))
        buffer.writeString(String(position))
        buffer.writeInteger(UInt8(ascii: "\t"))
        Self.writeEscaped(externalID, into: &buffer)
        buffer.writeStaticString(fault == nil ? "\tt\t" : "\tf\t")
        if let digest {
            buffer.writeString(String(digest))
        } else {
            buffer.writeStaticString("\\N")
        }
        for column in StagingColumn.allCases {
            buffer.writeInteger(UInt8(ascii: "\t"))
            if let field = fields.text(of: column) {
                Self.writeEscaped(field, into: &buffer)
            } else {
                buffer.writeStaticString("\\N")
            }
        }
        buffer.writeInteger(UInt8(ascii: "\n"))
    }

    private static func writeEscaped(_ text: String, into buffer: inout ByteBuffer) {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 < 0x20 }) else {
            buffer.writeString(text)
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
            case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
            case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
            case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
            default: buffer.writeInteger(byte)
            }
        }
    }

    private static func make(_ kind: Kind, _ position: Int, _ rawExternalID: String, _ check: () throws(ValidationError) -> StagedFields) -> Self {
        do {
            let id = try externalID(rawExternalID, field: "external_id")
            let fields = try check()
            let digest = kind == .tombstone ? nil : fields.digest(kind: kind, externalID: id)
            return Self(kind: kind, position: position, externalID: id, fault: nil, fields: fields, digest: digest)
        } catch {
            return Self(
                kind: kind,
                position: position,
                externalID: String(rawExternalID.prefix(128)),
                fault: error,
                fields: StagedFields(),
                digest: nil
            )
        }
    }

    private static func externalID(_ text: String, field: String) throws(ValidationError) -> String {
        guard !text.isEmpty else { throw ValidationError(field: field, code: .required, message: "is required") }
        guard text.count <= 128, !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw ValidationError(field: field, code: .invalidFormat, message: "must be 1 to 128 printable characters")
        }
        return text
    }

    private static func unitCode(_ text: String, field: String) throws(ValidationError) -> Int {
        guard (1...6).contains(text.count), text.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw ValidationError(field: field, code: .invalidFormat, message: "must be a GSO code (digits)")
        }
        return Int(text)!
    }

    private static func choice<Value: RawRepresentable & CaseIterable>(
        _ text: String,
        field: String,
        _ type: Value.Type
    ) throws(ValidationError) -> Value? where Value.RawValue == String {
        guard !text.isEmpty else { return nil }
        guard let value = Value(rawValue: text) else {
            throw ValidationError(
                field: field,
                code: .unknownValue,
                message: "must be one of \(Value.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        return value
    }
}
