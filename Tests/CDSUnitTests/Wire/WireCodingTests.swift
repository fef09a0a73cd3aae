import CDSCore
import CDSWire
import Foundation
import Testing

@testable import CDSAdminAPI

@Suite struct WireCodingTests {
    static let memberID = UUID(uuidString: "0A1B2C3D-4E5F-6071-8293-A4B5C6D7E8F9")!
    static let teamID = UUID(uuidString: "F9E8D7C6-B5A4-9382-7160-5F4E3D2C1B0A")!

    static func member(personal: Wire.Member.Personal?) -> Wire.Member {
        Wire.Member(
            id: memberID,
            districtCode: 116,
            teamID: teamID,
            communeCode: "4018",
            hamletCode: nil,
            fullName: "Lò Văn Sơn",
            gender: nil,
            role: "member",
            affiliation: "resident",
            hasSmartphone: true,
            trained: false,
            joinedOn: "2023-04-01",
            leftOn: nil,
            personal: personal
        )
    }

    static func object(_ data: Data) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: data) as? NSDictionary)
    }

    /// The client's decoder reads the names the server's encoder writes, initialisms included.
    @Test(arguments: [
        ("team_id", "teamID"), ("client_request_id", "clientRequestID"), ("webhook_url", "webhookURL"), ("id", "id"),
        ("next_cursor", "nextCursor"), ("certificate_pem", "certificatePEM"), ("certificate_sha256", "certificateSHA256"),
        ("has_smartphone", "hasSmartphone"), ("code", "code"),
    ])
    func swiftNamesAreTheInverseOfTheWireNames(wire: String, swift: String) throws {
        struct Probe: Encodable {
            let name: String
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: AnyKey.self)
                try container.encode(1, forKey: AnyKey(stringValue: name))
            }
        }
        let written = try Self.object(try WireCoding.encoder.encode(Probe(name: swift)))
        #expect(written.allKeys as? [String] == [wire])
        struct Decoded: Decodable {
            let key: String
            init(from decoder: any Decoder) throws {
                key = try #require(try decoder.container(keyedBy: AnyKey.self).allKeys.first).stringValue
            }
        }
        #expect(try WireCoding.decoder.decode(Decoded.self, from: Data(#"{"\#(wire)": 1}"#.utf8)).key == swift)
        #expect(FieldName.snakeCase(of: swift) == wire)
        #expect(FieldName.swiftName(of: wire) == swift)
    }

    /// Absent values are written as `null`, never left out, and ids in lowercase; the client reads it all back.
    @Test func absentValuesAreNullAndIdsLowercase() throws {
        let data = try WireCoding.encoder.encode(Self.member(personal: nil))
        let object = try Self.object(data)
        #expect(object["id"] as? String == "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9")
        #expect(object["team_id"] as? String == "f9e8d7c6-b5a4-9382-7160-5f4e3d2c1b0a")
        for key in ["hamlet_code", "gender", "left_on", "personal"] {
            #expect(object[key] is NSNull, "\(key) should be null")
        }
        #expect(object.count == 14)
        let decoded = try WireCoding.decoder.decode(Wire.Member.self, from: data)
        // The same object, not the same bytes: the encoder's key order is not fixed from one process to the next.
        let again = try Self.object(try WireCoding.encoder.encode(decoded))
        #expect(again == object)
    }

    /// The members page's hand-written JSON is the object the `Encodable` conformance writes.
    @Test(arguments: [nil, Wire.Member.Personal(phone: "0912345678", birthYear: nil, ethnicity: "Thái")])
    func theMembersPageWritesWhatTheEncoderWrites(personal: Wire.Member.Personal?) throws {
        let member = Self.member(personal: personal)
        var writer = JSONObjectWriter(capacity: 0)
        member.writeJSON(to: &writer)
        #expect(try Self.object(Data(writer.bytes)) == (try Self.object(try WireCoding.encoder.encode(member))))
    }
}

/// Any key, for probing the key strategies.
private struct AnyKey: CodingKey {
    let stringValue: String
    let intValue: Int? = nil
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
