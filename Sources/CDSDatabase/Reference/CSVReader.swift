/// The records of a CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF, optional UTF-8 BOM), read one at
/// a time, so that a file of hundreds of thousands of lines can be sent on while the rest is still being read.
/// Blank lines are passed over; each record remembers the line it starts on.
///
/// It reads the text's UTF-8 bytes: the quote, the separator and the line ends are ASCII, so they never occur inside
/// a multi-byte character, and each field becomes a `String` once, when it ends.
public struct CSVReader: Sendable {
    private let bytes: [UInt8]
    private let separator: UInt8
    private var index: Int
    private var line = 1

    /// - Parameter separator: `,` for CSV, or a tab; ASCII.
    public init(text: String, separator: Unicode.Scalar = ",") {
        precondition(separator.isASCII, "a CSV separator is ASCII")
        bytes = Array(text.utf8)
        self.separator = UInt8(separator.value)
        index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    }

    /// The next record, or nil at the end of the text.
    /// - Throws: ``ImportError`` for a quoted field that is never closed.
    public mutating func next() throws(ImportError) -> CSVTable.Record? {
        let quote = UInt8(ascii: "\"")
        let carriageReturn = UInt8(ascii: "\r")
        let newline = UInt8(ascii: "\n")
        var fields: [String] = []
        var field: [UInt8] = []
        var recordLine = line
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case separator:
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
            case quote where field.isEmpty:
                try readQuoted(into: &field)
            case carriageReturn:
                continue
            case newline:
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                line += 1
                if fields.count == 1 && fields[0].isEmpty {
                    fields = []
                    recordLine = line
                    continue
                }
                return CSVTable.Record(line: recordLine, fields: fields)
            default:
                field.append(byte)
            }
        }
        guard !fields.isEmpty || !field.isEmpty else { return nil }
        fields.append(String(decoding: field, as: UTF8.self))
        return CSVTable.Record(line: recordLine, fields: fields)
    }

    /// The rest of a quoted field, after its opening quote: up to the closing quote, a doubled quote read as one.
    private mutating func readQuoted(into field: inout [UInt8]) throws(ImportError) {
        let quote = UInt8(ascii: "\"")
        let newline = UInt8(ascii: "\n")
        let openedOn = line
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == quote {
                guard index < bytes.count, bytes[index] == quote else { return }
                index += 1
            } else if byte == newline {
                line += 1
            }
            field.append(byte)
        }
        throw ImportError([.init(line: openedOn, field: nil, message: "a quoted field is never closed")])
    }
}
