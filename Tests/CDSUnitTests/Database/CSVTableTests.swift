import CDSDatabase
import Testing

/// The CSV files people hand to `cds-admin` (imports, roster pushes) and the reference tables, as read.
@Suite struct CSVTableTests {
    /// Readers find a column by its name, so a header naming one twice is refused: one of the two columns would
    /// otherwise be read and the other dropped without a word.
    @Test func aHeaderNamingAColumnTwiceIsRefused() throws {
        let error = #expect(throws: ImportError.self) { try CSVTable(text: "external_id,phone,name, phone\nm1,0912,An,0988\n") }
        #expect(error?.errors.map(\.description) == ["line 1: names a column twice: phone"])
        #expect(try CSVTable(text: "a,,b,\n1,,2,\n").header == ["a", "", "b", ""])
    }

    /// RFC 4180 as spreadsheets write it: quoted separators, doubled quotes and line breaks inside quotes, CRLF, a
    /// byte order mark, blank lines passed over, the last line without its line break; each record with its line.
    @Test func theReaderFollowsRFC4180() throws {
        let text = "\u{FEFF}id,name,note\r\n1,\"Lò, Văn\",\"he said \"\"xin chào\"\"\"\r\n\r\n2,Bản Nà,\"two\nlines\"\n3,Cầm,last"
        var reader = CSVReader(text: text)
        var records: [CSVTable.Record] = []
        while let record = try reader.next() { records.append(record) }
        #expect(records.map(\.line) == [1, 2, 4, 6])
        #expect(
            records.map(\.fields) == [
                ["id", "name", "note"], ["1", "Lò, Văn", "he said \"xin chào\""], ["2", "Bản Nà", "two\nlines"], ["3", "Cầm", "last"],
            ]
        )
    }

    @Test func anUnclosedQuoteNamesTheLineItOpensOn() {
        var reader = CSVReader(text: "a,b\n1,2\n3,\"open\n4,5\n")
        let error = #expect(throws: ImportError.self) { while try reader.next() != nil {} }
        #expect(error?.errors.map(\.description) == ["line 3: a quoted field is never closed"])
    }
}
