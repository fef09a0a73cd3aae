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
}
