import CDSCore
import Foundation

/// A partner's report as the native API shows it: its status, due time and public updates; never the contact.
struct PartnerReportView: Encodable, Sendable {
    struct Update: Encodable, Sendable {
        let at: Date
        let status: String
        let message: String?
    }

    let trackingCode: String
    let token: String
    let status: String
    let serviceCode: String
    let addressID: String
    let submittedAt: Date
    let updatedAt: Date
    let dueAt: Date
    let updates: [Update]?

    init(_ report: PublicReport, updates: [PublicUpdate]?) {
        self.trackingCode = report.trackingCode
        self.token = report.token.uuidString.lowercased()
        self.status = report.status.rawValue
        self.serviceCode = report.categoryCode
        self.addressID = report.location.description
        self.submittedAt = report.submittedAt
        self.updatedAt = report.updatedAt
        self.dueAt = report.dueAt
        self.updates = updates?.map { Update(at: $0.at, status: $0.status.rawValue, message: $0.message) }
    }
}

/// The answer to a filed report: how to follow it.
struct PartnerFiledView: Encodable, Sendable {
    let trackingCode: String
    let token: String
    let status: String
    let district: Int
    let submittedAt: Date
    let dueAt: Date

    init(_ filed: FiledReport) {
        self.trackingCode = filed.trackingCode
        self.token = filed.token.uuidString.lowercased()
        self.status = filed.status.rawValue
        self.district = filed.district
        self.submittedAt = filed.submittedAt
        self.dueAt = filed.dueAt
    }
}
