/// Teams and members as the admin API answers them (`/v1/teams`, `/v1/members`).
struct TeamView: Codable, Sendable {
    let id: String
    let districtCode: Int
    let level: String
    let communeCode: String
    let hamletCode: String?
    let name: String
    let establishedOn: String?
    let decisionRef: String?
    let status: String
    let dissolvedOn: String?
    let memberCount: Int

    enum CodingKeys: String, CodingKey {
        case id, level, name, status
        case districtCode = "district_code"
        case communeCode = "commune_code"
        case hamletCode = "hamlet_code"
        case establishedOn = "established_on"
        case decisionRef = "decision_ref"
        case dissolvedOn = "dissolved_on"
        case memberCount = "member_count"
    }
}

struct MemberView: Codable, Sendable {
    struct Personal: Codable, Sendable {
        let phone: String?
        let birthYear: Int?
        let ethnicity: String?

        enum CodingKeys: String, CodingKey {
            case phone, ethnicity
            case birthYear = "birth_year"
        }
    }

    let id: String
    let districtCode: Int
    let teamID: String
    let communeCode: String
    let hamletCode: String?
    let fullName: String
    let gender: String?
    let role: String
    let affiliation: String
    let hasSmartphone: Bool
    let trained: Bool
    let joinedOn: String?
    let leftOn: String?
    let personal: Personal?

    enum CodingKeys: String, CodingKey {
        case id, gender, role, affiliation, trained, personal
        case districtCode = "district_code"
        case teamID = "team_id"
        case communeCode = "commune_code"
        case hamletCode = "hamlet_code"
        case fullName = "full_name"
        case hasSmartphone = "has_smartphone"
        case joinedOn = "joined_on"
        case leftOn = "left_on"
    }
}

struct TrainingView: Codable, Sendable {
    let id: String
    let districtCode: Int
    let communeCode: String?
    let heldOn: String
    let topic: String
    let mode: String
    let bridgePoint: String?
    let organiser: String?
    let attendeeCount: Int

    enum CodingKeys: String, CodingKey {
        case id, topic, mode, organiser
        case districtCode = "district_code"
        case communeCode = "commune_code"
        case heldOn = "held_on"
        case bridgePoint = "bridge_point"
        case attendeeCount = "attendee_count"
    }
}

struct ActivityView: Codable, Sendable {
    let id: String
    let districtCode: Int
    let teamID: String
    let communeCode: String
    let hamletCode: String?
    let heldOn: String
    let topic: String
    let residentsReached: Int
    let note: String?

    enum CodingKeys: String, CodingKey {
        case id, topic, note
        case districtCode = "district_code"
        case teamID = "team_id"
        case communeCode = "commune_code"
        case hamletCode = "hamlet_code"
        case heldOn = "held_on"
        case residentsReached = "residents_reached"
    }
}

struct AttendeeView: Codable, Sendable {
    let memberID: String
    let fullName: String
    let teamID: String
    let communeCode: String
    let recordedAt: String

    enum CodingKeys: String, CodingKey {
        case memberID = "member_id"
        case fullName = "full_name"
        case teamID = "team_id"
        case communeCode = "commune_code"
        case recordedAt = "recorded_at"
    }
}
