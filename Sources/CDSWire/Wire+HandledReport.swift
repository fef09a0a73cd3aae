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
            public let name: String?
            public let phone: String?
            public let email: String?

            public init(name: String?, phone: String?, email: String?) {
                self.name = name
                self.phone = phone
                self.email = email
            }

            public func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                if let name { try container.encode(name, forKey: .name) }
                if let phone { try container.encode(phone, forKey: .phone) }
                if let email { try container.encode(email, forKey: .email) }
            }
        }

        public struct Update: Codable, Sendable {
            /// ISO 8601.
            public let at: String
            /// `status`, `response`, `note`, `follow_up` or `assignment`.
            public let kind: String
            public let statusFrom: String?
            public let statusTo: String?
            public let publicMessage: String?
            public let internalNote: String?
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

            public func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(at, forKey: .at)
                try container.encode(kind, forKey: .kind)
                if let statusFrom { try container.encode(statusFrom, forKey: .statusFrom) }
                if let statusTo { try container.encode(statusTo, forKey: .statusTo) }
                if let publicMessage { try container.encode(publicMessage, forKey: .publicMessage) }
                if let internalNote { try container.encode(internalNote, forKey: .internalNote) }
                try container.encode(actor, forKey: .actor)
            }
        }

        public let trackingCode: String
        public let district: Int
        public let status: String
        public let serviceCode: String
        public let communeCode: Int
        public let hamletCode: String?
        /// `commune` or `district`.
        public let handlingLevel: String
        /// The commune's code for a commune-level report, the district's for a district-level one.
        public let handlingUnit: Int
        public let description: String
        public let address: String?
        public let mediaURLs: [String]
        public let assigneeID: UUID?
        /// ISO 8601, as are the other times.
        public let submittedAt: String
        public let dueAt: String
        public let answeredAt: String?
        public let overdue: Bool
        public let partnerID: UUID?
        /// `nil` when the caller may not handle the report, or the citizen left none (or it was anonymised).
        public var contact: Contact?
        /// `nil` in a listing.
        public var updates: [Update]?

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

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(trackingCode, forKey: .trackingCode)
            try container.encode(district, forKey: .district)
            try container.encode(status, forKey: .status)
            try container.encode(serviceCode, forKey: .serviceCode)
            try container.encode(communeCode, forKey: .communeCode)
            if let hamletCode { try container.encode(hamletCode, forKey: .hamletCode) }
            try container.encode(handlingLevel, forKey: .handlingLevel)
            try container.encode(handlingUnit, forKey: .handlingUnit)
            try container.encode(description, forKey: .description)
            if let address { try container.encode(address, forKey: .address) }
            try container.encode(mediaURLs, forKey: .mediaURLs)
            if let assigneeID { try container.encode(assigneeID, forKey: .assigneeID) }
            try container.encode(submittedAt, forKey: .submittedAt)
            try container.encode(dueAt, forKey: .dueAt)
            if let answeredAt { try container.encode(answeredAt, forKey: .answeredAt) }
            try container.encode(overdue, forKey: .overdue)
            if let partnerID { try container.encode(partnerID, forKey: .partnerID) }
            if let contact { try container.encode(contact, forKey: .contact) }
            if let updates { try container.encode(updates, forKey: .updates) }
        }
    }
}
