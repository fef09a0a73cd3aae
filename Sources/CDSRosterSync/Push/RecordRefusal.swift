/// Why a check refuses a record, as the push's result reports it: the field at fault, a stable code and a message.
struct RecordRefusal {
    let field: String
    let code: String
    let message: String

    static let duplicateInBatch = RecordRefusal(
        field: "external_id",
        code: "duplicate_in_batch",
        message: "the push has this external id twice for one kind; the first counts"
    )
    static let unknownHamlet = RecordRefusal(
        field: "hamlet_external_id",
        code: "unknown_reference",
        message: "names no hamlet of this source in the team's commune (in this push or before)"
    )
    static let unitHasTeam = RecordRefusal(
        field: "commune_code",
        code: "unit_has_team",
        message: "the unit has another active team (one per commune or hamlet): dissolve it first"
    )
    static let unknownTeam = RecordRefusal(
        field: "team_external_id",
        code: "unknown_reference",
        message: "names no active team of this source (in this push or before)"
    )
    static let secondLeader = RecordRefusal(field: "role", code: "team_has_leader", message: "the team has another current leader (one per team)")
    static let unknownRecord = RecordRefusal(
        field: "external_id",
        code: "unknown_record",
        message: "no record of this kind and source has this external id"
    )

    static func unknownCommune(of district: Int) -> RecordRefusal {
        RecordRefusal(field: "commune_code", code: "unknown_commune", message: "is not a commune of district \(district)")
    }
}
