import Foundation

extension Wire {
    /// A report as its handlers see it (`/v1/feedback/reports`): everything public, the handling, the internal
    /// notes and, for those who may handle it, the citizen's contact (each such read audited).
    ///
    /// Unlike the other shapes, an absent value is left out, not written as `null`, here and in its contact and
    /// updates: as the report has always been answered (`openapi.json` requires none of these keys, and does not
    /// let `updates` be `null`).
    public struct HandledReport: Codable, Sendable {
        public struct Contact: Codable, Sendable {
            @OmittedWhenAbsent public private(set) var name: String?
            @OmittedWhenAbsent public private(set) var phone: String?
            @OmittedWhenAbsent public private(set) var email: String?

            public init(name: String?, phone: String?, email: String?) {
                self.name = name
                self.phone = phone
                self.email = email
            }
        }

        public struct Update: Codable, Sendable {
            /// ISO 8601.
            public let at: String
            /// `status`, `response`, `note`, `follow_up` or `assignment`.
            public let kind: String
            @OmittedWhenAbsent public private(set) var statusFrom: String?
            @OmittedWhenAbsent public private(set) var statusTo: String?
            @OmittedWhenAbsent public private(set) var publicMessage: String?
            @OmittedWhenAbsent public private(set) var internalNote: String?
            public let actor: String

            public init(
                at: String,
                kind: String,
                statusFrom: String?,
                statusTo: String?,
                publicMessage: String?,
                internalNote: String?,
                actor: String
            ) {
                self.at = at
                self.kind = kind
                self.statusFrom = statusFrom
                self.statusTo = statusTo
                self.publicMessage = publicMessage
                self.internalNote = internalNote
                self.actor = actor
            }
        }

        public let trackingCode: String
        public let district: Int
        public let status: String
        public let serviceCode: String
        public let communeCode: Int
        @OmittedWhenAbsent public private(set) var hamletCode: String?
        /// `commune` or `district`.
        public let handlingLevel: String
        /// The commune's code for a commune-level report, the district's for a district-level one.
        public let handlingUnit: Int
        public let description: String
        @OmittedWhenAbsent public private(set) var address: String?
        public let mediaURLs: [String]
        @OmittedWhenAbsent public private(set) var assigneeID: UUID?
        /// ISO 8601, as are the other times.
        public let submittedAt: String
        public let dueAt: String
        @OmittedWhenAbsent public private(set) var answeredAt: String?
        public let overdue: Bool
        @OmittedWhenAbsent public private(set) var partnerID: UUID?
        /// `nil` when the caller may not handle the report, or the citizen left none (or it was anonymised).
        @OmittedWhenAbsent public var contact: Contact?
        /// `nil` in a listing.
        @OmittedWhenAbsent public var updates: [Update]?

        public init(
            trackingCode: String,
            district: Int,
            status: String,
            serviceCode: String,
            communeCode: Int,
            hamletCode: String?,
            handlingLevel: String,
            handlingUnit: Int,
            description: String,
            address: String?,
            mediaURLs: [String],
            assigneeID: UUID?,
            submittedAt: String,
            dueAt: String,
            answeredAt: String?,
            overdue: Bool,
            partnerID: UUID?,
            contact: Contact? = nil,
            updates: [Update]? = nil
        ) {
            self.trackingCode = trackingCode
            self.district = district
            self.status = status
            self.serviceCode = serviceCode
            self.communeCode = communeCode
            self.hamletCode = hamletCode
            self.handlingLevel = handlingLevel
            self.handlingUnit = handlingUnit
            self.description = description
            self.address = address
            self.mediaURLs = mediaURLs
            self.assigneeID = assigneeID
            self.submittedAt = submittedAt
            self.dueAt = dueAt
            self.answeredAt = answeredAt
            self.overdue = overdue
            self.partnerID = partnerID
            self.contact = contact
            self.updates = updates
        }

        /// The Swift names, but `mediaURLs`'s: ``WireCoding/decoder`` reads `media_urls` as `mediaUrls` (`urls` is no
        /// initialism it knows), and ``WireCoding/encoder`` would write `mediaURLs` as `media_ur_ls`.
        enum CodingKeys: String, CodingKey {
            case trackingCode, district, status, serviceCode, communeCode, hamletCode, handlingLevel, handlingUnit
            case description, address
            case mediaURLs = "mediaUrls"
            case assigneeID, submittedAt, dueAt, answeredAt, overdue, partnerID, contact, updates
        }
    }
}
