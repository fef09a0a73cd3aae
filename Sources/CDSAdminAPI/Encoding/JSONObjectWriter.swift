import CDSHTTP
import Foundation

/// Writes JSON objects into a byte array, field by field.
///
/// For the members page, the API's hot path: decoding a page's rows is cheap, but encoding them with
/// `JSONEncoder`, or having PostgreSQL build each item with `json_build_object`, cost more than the query
/// itself (measured: see docs/benchmarks.md). Objects written one after another are separated by commas, as the
/// items of an array. Keys are the caller's literals, written as they are; string values are escaped as RFC 8259
/// requires.
struct JSONObjectWriter {
    private(set) var bytes: [UInt8] = []
    /// Whether a value was just written, so that the next key or object needs a comma before it.
    private var afterValue = false

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    /// Opens an object: at the top level, or as the value of `key` in the open object.
    mutating func beginObject(_ key: StaticString? = nil) {
        if let key { writeKey(key) } else if afterValue { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "{"))
        afterValue = false
    }

    mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        afterValue = true
    }

    mutating func field(_ key: StaticString, _ value: String?) {
        writeKey(key)
        guard let value else { return writeNull() }
        writeString(value)
    }

    mutating func field(_ key: StaticString, _ value: Int?) {
        writeKey(key)
        guard let value else { return writeNull() }
        bytes.append(contentsOf: String(value).utf8)
        afterValue = true
    }

    mutating func field(_ key: StaticString, _ value: Bool) {
        writeKey(key)
        append(value ? "true" : "false")
    }

    /// Lowercase, as every id in the API's answers; written from its bytes (`uuidString` formats through printf and
    /// `lowercased()` copies it again, for three ids per member).
    mutating func field(_ key: StaticString, _ value: UUID) {
        writeKey(key)
        bytes.append(UInt8(ascii: "\""))
        withUnsafeBytes(of: value.uuid) { uuid in
            for (index, byte) in uuid.enumerated() {
                if index == 4 || index == 6 || index == 8 || index == 10 { bytes.append(UInt8(ascii: "-")) }
                bytes.append(Self.hexDigits[Int(byte >> 4)])
                bytes.append(Self.hexDigits[Int(byte & 0x0f)])
            }
        }
        bytes.append(UInt8(ascii: "\""))
        afterValue = true
    }

    /// `null` as the value of `key`.
    mutating func null(_ key: StaticString) {
        writeKey(key)
        writeNull()
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private mutating func writeKey(_ key: StaticString) {
        if afterValue { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\""))
        append(key)
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        afterValue = false
    }

    private mutating func writeNull() {
        append("null")
    }

    private mutating func append(_ literal: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
        afterValue = true
    }

    private mutating func writeString(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): append("\\\"")
            case UInt8(ascii: "\\"): append("\\\\")
            case UInt8(ascii: "\n"): append("\\n")
            case UInt8(ascii: "\r"): append("\\r")
            case UInt8(ascii: "\t"): append("\\t")
            case ..<0x20:
                append("\\u00")
                bytes.append(Self.hexDigits[Int(byte >> 4)])
                bytes.append(Self.hexDigits[Int(byte & 0x0f)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
        afterValue = true
    }
}
