import CDSCore
import Foundation

/// A report as filed: how the citizen and the partner follow it.
public struct FiledReport: Hashable, Sendable, Codable {
    public let trackingCode: String
    public let token: UUID
    public let district: Int
    public let status: ReportStatus
    public let submittedAt: Date
    public let dueAt: Date
}
