import CDSCore
import CDSHTTP

/// The body of `POST /v1/partner/reports`: a citizen's report as JSON.
struct PartnerReportBody: JSONRequestBody, Sendable {
    struct Contact: Decodable, Sendable {
        let name: String?
        let phone: String?
        let email: String?
    }

    /// An answer to a category's question: one value, or several for a multi-value list.
    struct Answer: Decodable, Sendable {
        let values: [String]

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let one = try? container.decode(String.self) {
                values = [one]
            } else {
                values = try container.decode([String].self)
            }
        }
    }

    static let fields: Set<String> = ["service_code", "address_id", "lat", "long", "address", "description", "media_urls", "attributes", "contact"]

    let serviceCode: String?
    let addressID: String?
    let lat: Double?
    let long: Double?
    let address: String?
    let description: String?
    let mediaURLs: [String]?
    let attributes: [String: Answer]?
    let contact: Contact?

    /// The Swift names, but `mediaURLs`'s: `WireCoding.decoder` reads `media_urls` as `mediaUrls`.
    enum CodingKeys: String, CodingKey {
        case serviceCode, addressID, lat, long, address, description, attributes, contact
        case mediaURLs = "mediaUrls"
    }

    var draft: ReportDraft {
        var draft = ReportDraft()
        draft.categoryCode = serviceCode
        draft.location = addressID
        draft.latitude = lat.map { String($0) }
        draft.longitude = long.map { String($0) }
        draft.address = address
        draft.description = description
        draft.mediaURLs = mediaURLs ?? []
        draft.attributes = (attributes ?? [:]).mapValues(\.values)
        draft.contactName = contact?.name
        draft.contactPhone = contact?.phone
        draft.contactEmail = contact?.email
        return draft
    }

    /// The body's name for a field a fault names in Open311's terms.
    static func field(_ open311: String) -> String {
        switch open311 {
        case "address_string": "address"
        case "media_url": "media_urls"
        case "name", "phone", "email": "contact.\(open311)"
        case _ where open311.hasPrefix("attribute["): "attributes." + open311.dropFirst("attribute[".count).dropLast()
        default: open311
        }
    }
}
