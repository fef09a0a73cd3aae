import CDSCore
import Foundation

/// What a citizen can report (Open311's "service"): a row of the province's catalogue, `cds.feedback_categories`.
public struct FeedbackCategory: Hashable, Sendable {
    /// Who handles a report of this category: its commune, or its district.
    public enum HandlingLevel: String, Codable, Hashable, Sendable {
        case commune, district
    }

    /// An extra question the category asks (Open311's service definition attribute).
    public struct Attribute: Codable, Hashable, Sendable {
        public struct Value: Codable, Hashable, Sendable {
            public let key: String
            public let name: String
        }

        public let code: String
        /// Open311's datatypes: string, number, datetime, text, singlevaluelist, multivaluelist.
        public let datatype: String
        public let required: Bool
        public let description: String
        public let order: Int
        public let values: [Value]?
    }

    public let code: String
    public let name: String
    public let description: String
    public let group: String
    public let keywords: [String]
    public let attributes: [Attribute]
    public let slaWorkingDays: Int
    public let handlingLevel: HandlingLevel
}
