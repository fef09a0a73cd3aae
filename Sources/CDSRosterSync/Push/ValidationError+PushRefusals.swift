import CDSCore

/// Why the push's set-based checks refuse a record (against the other records of the push and the registry), as
/// its result reports it: the field at fault, a stable code and a message, like every other fault of a record.
extension ValidationError {
    static let duplicateInBatch = ValidationError(
        field: "external_id",
        code: .duplicateInBatch,
        message: "the push has this external id twice for one kind; the first counts"
    )
    static let unknownHamlet = ValidationError(
        field: "hamlet_external_id",
        code: .unknownReference,
        message: "names no hamlet of this source in the team's commune (in this push or before)"
    )
    static let unitHasTeam = ValidationError(
        field: "commune_code",
        code: .unitHasTeam,
        message: "the unit has another active team (one per commune or hamlet): dissolve it first"
    )
    static let unknownTeam = ValidationError(
        field: "team_external_id",
        code: .unknownReference,
        message: "names no active team of this source (in this push or before)"
    )
    static let secondLeader = ValidationError(field: "role", code: .teamHasLeader, message: "the team has another current leader (one per team)")
    static let unknownRecord = ValidationError(
        field: "external_id",
        code: .unknownRecord,
        message: "no record of this kind and source has this external id"
    )

    static func unknownCommune(of district: Int) -> ValidationError {
        ValidationError(field: "commune_code", code: .unknownCommune, message: "is not a commune of district \(district)")
    }
}
