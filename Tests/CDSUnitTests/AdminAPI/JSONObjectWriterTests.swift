import Foundation
import Testing

@testable import CDSAdminAPI

@Suite struct JSONObjectWriterTests {
    /// Whatever a string holds, a JSON parser reads back the same string: quotes, backslashes and control characters
    /// escaped, Vietnamese and other non-ASCII text as it is.
    @Test func stringsReadBackAsWritten() throws {
        let strings = ["Lò Văn Sơn", #"a "quoted" \ name"#, "tab\tnew\nline\rreturn", "\u{0}\u{1}\u{1f}", "", "Ừ 🙂"]
        var writer = JSONObjectWriter(capacity: 0)
        for string in strings {
            writer.beginObject()
            writer.field("s", string)
            writer.endObject()
        }
        let text = "[" + String(decoding: writer.bytes, as: UTF8.self) + "]"
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: String]])
        #expect(parsed.map { $0["s"] } == strings)
    }

    /// Every kind of field, and a nested object, as JSONSerialization reads them; ids in lowercase.
    @Test func fieldsAndNestedObjects() throws {
        let id = try #require(UUID(uuidString: "0A1B2C3D-4E5F-6071-8293-A4B5C6D7E8F9"))
        var writer = JSONObjectWriter(capacity: 0)
        writer.beginObject()
        writer.field("id", id)
        writer.field("count", 42)
        writer.field("none", nil as Int?)
        writer.field("text", nil as String?)
        writer.field("yes", true)
        writer.field("no", false)
        writer.beginObject("inner")
        writer.field("year", -1990)
        writer.endObject()
        writer.null("gone")
        writer.endObject()
        let text = String(decoding: writer.bytes, as: UTF8.self)
        #expect(text.hasPrefix(#"{"id":"0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9","count":42,"#))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(writer.bytes)) as? NSDictionary)
        let expected: NSDictionary = [
            "id": "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9", "count": 42, "none": NSNull(), "text": NSNull(),
            "yes": true, "no": false, "inner": ["year": -1990], "gone": NSNull(),
        ]
        #expect(object == expected)
    }
}
