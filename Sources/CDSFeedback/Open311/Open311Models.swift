import Foundation

// The documents of GeoReport v2, field for field: ``Open311Format``'s encoders write each Swift name in snake_case
// (`serviceRequestID` as `service_request_id`). JSON and XML encode the same models; a list nested in an object
// is a plain array in JSON and, in XML, a wrapper element of repeated items (`<attributes><attribute>…`).

extension CodingUserInfoKey {
    /// Set on the XML encoder: lists take their wrapper element.
    static let open311XML = CodingUserInfoKey(rawValue: "open311XML")!
}

/// A list of a document: a JSON array; in XML, each item an element named `itemName` (under the element of the
/// property holding the list, or the document's root).
struct Open311List<Item: Encodable>: Encodable {
    let itemName: String
    let items: [Item]

    init(_ items: [Item], of itemName: String) {
        self.itemName = itemName
        self.items = items
    }

    func encode(to encoder: any Encoder) throws {
        if encoder.userInfo[.open311XML] as? Bool == true {
            var container = encoder.container(keyedBy: NamedKey.self)
            try container.encode(items, forKey: NamedKey(stringValue: itemName))
        } else {
            var container = encoder.singleValueContainer()
            try container.encode(items)
        }
    }
}

struct Open311Discovery: Encodable {
    struct Endpoint: Encodable {
        let specification: String
        let url: String
        let changeset: String
        let type: String
        let formats: Open311List<String>
    }

    let changeset: String
    let contact: String
    let keyService: String
    let endpoints: Open311List<Endpoint>
}

struct Open311Service: Encodable {
    let serviceCode: String
    let serviceName: String
    let description: String
    let metadata: Bool
    let type: String
    let keywords: String
    let group: String
}

struct Open311ServiceDefinition: Encodable {
    struct Attribute: Encodable {
        struct Value: Encodable {
            let key: String
            let name: String
        }

        let variable: Bool
        let code: String
        let datatype: String
        let required: Bool
        let datatypeDescription: String
        let order: Int
        let description: String
        let values: Open311List<Value>
    }

    let serviceCode: String
    let attributes: Open311List<Attribute>
}

/// What POST requests answers: the id at once (and the token, for clients that follow tokens).
struct Open311RequestCreated: Encodable {
    let serviceRequestID: String
    let token: String
    let serviceNotice: String
    let accountID: String?
}

struct Open311Token: Encodable {
    let serviceRequestID: String
    let token: String
}

/// A report as the public sees it: never the citizen's contact.
struct Open311ServiceRequest: Encodable {
    let serviceRequestID: String
    let status: String
    let statusNotes: String?
    let serviceName: String
    let serviceCode: String
    let description: String
    let agencyResponsible: String
    let serviceNotice: String?
    let requestedDatetime: String
    let updatedDatetime: String
    let expectedDatetime: String
    let address: String?
    let addressID: String
    let zipcode: String?
    let lat: Double?
    let long: Double?
    let mediaURL: String?
}

/// FixMyStreet's update feed extension: one public change of a report.
struct Open311RequestUpdate: Encodable {
    let updateID: String
    let serviceRequestID: String
    let status: String
    let updatedDatetime: String
    let description: String
    let mediaURL: String?
    /// The status as this system names it, finer than `status`.
    let externalStatusCode: String
}
