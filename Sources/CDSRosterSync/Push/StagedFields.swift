import Crypto

/// A record's values for its kind's columns of the staging table, normalised; nil where the kind has no such column
/// or the record leaves it out.
struct StagedFields {
    var communeCode: Int?
    var name: String?
    var hamletKind: String?
    var level: String?
    var hamletExternalID: String?
    var establishedOn: String?
    var decisionRef: String?
    var teamExternalID: String?
    var fullName: String?
    var gender: String?
    var birthYear: Int?
    var phone: String?
    var role: String?
    var affiliation: String?
    var hasSmartphone: Bool?
    var trained: Bool?
    var ethnicity: String?
    var tombstoneKind: Int?

    /// A column's value in COPY's text format, unescaped; nil for null.
    func text(of column: StagingColumn) -> String? {
        switch column {
        case .communeCode: communeCode.map(String.init)
        case .name: name
        case .hamletKind: hamletKind
        case .level: level
        case .hamletExternalID: hamletExternalID
        case .establishedOn: establishedOn
        case .decisionRef: decisionRef
        case .teamExternalID: teamExternalID
        case .fullName: fullName
        case .gender: gender
        case .birthYear: birthYear.map(String.init)
        case .phone: phone
        case .role: role
        case .affiliation: affiliation
        case .hasSmartphone: hasSmartphone.map { $0 ? "t" : "f" }
        case .trained: trained.map { $0 ? "t" : "f" }
        case .ethnicity: ethnicity
        case .tombstoneKind: tombstoneKind.map(String.init)
        }
    }
}

extension StagedFields {
    /// A record as its source sent it, normalised, in one number: the first eight bytes of the SHA-256 of its kind,
    /// its external id and its kind's fields, each length-prefixed (a null apart from every text). The registry
    /// keeps it beside the row (`source_digest`), and the next push that sends the same digest for an active row
    /// has nothing to change there.
    ///
    /// Any change to what is hashed, or how, changes every digest: the next push of each record then finds no match,
    /// compares it field by field and stores the new digest, so such a change costs one slower push, not a wrong one.
    func digest(kind: StagedRecord.Kind, externalID: String) -> Int64 {
        var hash = SHA256()
        func add(_ text: String?) {
            guard var text else {
                withUnsafeBytes(of: UInt32.max) { hash.update(bufferPointer: $0) }
                return
            }
            withUnsafeBytes(of: UInt32(text.utf8.count).bigEndian) { hash.update(bufferPointer: $0) }
            text.withUTF8 { hash.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        }
        add(String(kind.rawValue))
        add(externalID)
        for column in StagingColumn.allCases { add(text(of: column)) }
        return hash.finalize().withUnsafeBytes { bytes in
            bytes.prefix(8).reduce(0) { ($0 << 8) | Int64($1) }
        }
    }
}
