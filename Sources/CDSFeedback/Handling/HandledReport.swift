import CDSCore
import Foundation

/// A report as its handlers see it: everything public, the handling, the internal notes and, for those who may
/// handle it, the citizen's contact (each such read audited).
struct HandledReport: Encodable, Sendable {
    struct Contact: Encodable, Sendable {
        let name: String?
        let phone: String?
        let email: String?
    }

    struct Update: Encodable, Sendable {
        let at: Date
        let kind: String
        let statusFrom: String?
        let statusTo: String?
        let publicMessage: String?
        let internalNote: String?
        let actor: String

        enum CodingKeys: String, CodingKey {
            case at, kind, actor
            case statusFrom = "status_from"
            case statusTo = "status_to"
            case publicMessage = "public_message"
            case internalNote = "internal_note"
        }
    }

    let trackingCode: String
    let district: Int
    let status: String
    let serviceCode: String
    let communeCode: Int
    let hamletCode: String?
    let handlingLevel: String
    let handlingUnit: Int
    let description: String
    let address: String?
    let mediaURLs: [String]
    let assigneeID: UUID?
    let submittedAt: Date
    let dueAt: Date
    let answeredAt: Date?
    let overdue: Bool
    let partnerID: UUID?
    /// nil when the caller may not handle the report, or the citizen left none (or it was anonymised).
    var contact: Contact?
    var updates: [Update]?

    enum CodingKeys: String, CodingKey {
        case trackingCode = "tracking_code"
        case district, status
        case serviceCode = "service_code"
        case communeCode = "commune_code"
        case hamletCode = "hamlet_code"
        case handlingLevel = "handling_level"
        case handlingUnit = "handling_unit"
        case description, address
        case mediaURLs = "media_urls"
        case assigneeID = "assignee_id"
        case submittedAt = "submitted_at"
        case dueAt = "due_at"
        case answeredAt = "answered_at"
        case overdue
        case partnerID = "partner_id"
        case contact, updates
    }
}
