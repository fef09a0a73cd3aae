import CDSCore
import Foundation

/// A report as anyone may see it: what happens to it, never who sent it (the citizen's contact lives elsewhere
/// and no public read joins it).
public struct PublicReport: Hashable, Sendable {
    public let trackingCode: String
    public let token: UUID
    public let status: ReportStatus
    /// The latest public message about it, if any.
    public let statusNotes: String?
    public let categoryCode: String
    public let categoryName: String
    public let description: String
    /// The commune or district that handles it.
    public let agency: String
    public let location: ReportLocation
    public let address: String?
    public let latitude: Double?
    public let longitude: Double?
    public let mediaURLs: [String]
    public let submittedAt: Date
    public let updatedAt: Date
    public let dueAt: Date
}
