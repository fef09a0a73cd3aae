import PostgresNIO

/// The push's staging table, `pg_temp.sync_records`: one row a record, whatever its kind, since the records stream
/// in through a single COPY (a connection runs one COPY at a time, and a chunk mixes kinds). After the columns every
/// record has, each kind fills its own columns, named and typed for what they hold, and leaves the others null.
/// The table, the COPY's column list and the line ``StagedRecord`` writes all follow ``StagingColumn/allCases``.
///
/// A record the registry already holds exactly as sent is not staged at all (``ResentRecords`` keeps it in mind):
/// on a nightly re-push the table holds the few thousand records that changed, not the district.
enum StagingTable {
    static let create: PostgresQuery = PostgresQuery(
        unsafeSQL: """
            CREATE TEMPORARY TABLE sync_records (
                kind smallint NOT NULL, pos integer NOT NULL, external_id text NOT NULL, valid boolean NOT NULL, digest bigint,
                \(StagingColumn.allCases.map { "\($0.rawValue) \($0.type)" }.joined(separator: ", ")),
                PRIMARY KEY (kind, pos)
            ) ON COMMIT DROP
            """
    )

    static let copyColumns = ["kind", "pos", "external_id", "valid", "digest"] + StagingColumn.allCases.map(\.rawValue)
}

/// A kind's own column of the staging table.
enum StagingColumn: String, CaseIterable {
    /// Hamlets and teams: the commune, by its GSO code.
    case communeCode = "commune_code"
    /// Hamlets and teams.
    case name
    /// Hamlets: village, hamlet, residential group… (`HamletKind`).
    case hamletKind = "hamlet_kind"
    /// Teams: commune or hamlet.
    case level
    /// Hamlet-level teams: the hamlet, by its external id.
    case hamletExternalID = "hamlet_external_id"
    case establishedOn = "established_on"
    case decisionRef = "decision_ref"
    /// Members: their team, by its external id.
    case teamExternalID = "team_external_id"
    case fullName = "full_name"
    case gender
    case birthYear = "birth_year"
    /// In national form.
    case phone
    case role
    case affiliation
    case hasSmartphone = "has_smartphone"
    case trained
    case ethnicity
    /// Tombstones: the kind of record they deactivate (``StagedRecord/Kind``'s raw value).
    case tombstoneKind = "tombstone_kind"

    var type: String {
        switch self {
        case .communeCode: "integer"
        case .birthYear, .tombstoneKind: "smallint"
        case .establishedOn: "date"
        case .hasSmartphone, .trained: "boolean"
        default: "text"
        }
    }
}
