import CDSDatabase
import Testing

/// Every CSV the system writes goes through `CSVLine`: a value a spreadsheet would run as a formula is written as
/// text, and read back as it was.
@Suite struct CSVFormulaTests {
    @Test(arguments: ["=HYPERLINK(\"http://x.example\",\"Bấm\")", "+84912", "-2+3", "@SUM(A1)", "\tTổ", "\r=1"])
    func aFormulaLikeCellIsWrittenAsTextAndReadBackAsItWas(_ value: String) throws {
        let line = CSVLine.encode(["Tổ 1", value])
        let cell = line.dropFirst("Tổ 1,".count)
        let unquoted = cell.hasPrefix("\"") ? cell.dropFirst() : cell
        #expect(unquoted.hasPrefix("'"), "\(line)")
        let table = try CSVTable(text: "name,value\n" + line + "\n")
        #expect(table.records.map(\.fields) == [["Tổ 1", value]])
    }

    @Test func ordinaryCellsAreLeftAlone() throws {
        let fields = ["Bản Nà Cang", "0912345678", "2023-04-01", "'quoted", "a=b", ""]
        #expect(CSVLine.encode(fields) == "Bản Nà Cang,0912345678,2023-04-01,'quoted,a=b,")
        #expect(try CSVTable(text: "a,b,c,d,e,f\n" + CSVLine.encode(fields)).records.map(\.fields) == [fields])
    }
}
