import CDSCore
import Testing

@Suite struct VietnameseTextTests {
    /// "Nguyễn" typed precomposed and typed as "e" + circumflex + tilde (combining marks).
    static let precomposed = "Nguy\u{1EC5}n V\u{0103}n \u{0110}\u{1EE9}c"
    static let decomposed = "Nguye\u{0302}\u{0303}n Va\u{0306}n \u{0110}u\u{031B}\u{0301}c"

    @Test func theSameNameTypedOnTwoKeyboardsIsOneName() throws {
        #expect(Self.precomposed.unicodeScalars.count != Self.decomposed.unicodeScalars.count)
        let a = try PersonName(Self.precomposed)
        let b = try PersonName(Self.decomposed)
        #expect(a == b)
        #expect(Array(a.value.unicodeScalars) == Array(Self.precomposed.unicodeScalars))
    }

    @Test func whitespaceIsCollapsedAndTrimmed() {
        #expect(VietnameseText.normalized("  Lò \t Văn\n Ươn ") == "Lò Văn Ươn")
    }

    @Test func searchKeyIgnoresCaseAndDiacritics() {
        #expect(VietnameseText.searchKey(Self.decomposed) == "nguyen van duc")
        #expect(VietnameseText.searchKey("ĐIÊU THỊ ỎN") == "dieu thi on")
    }

    @Test(arguments: ["", "   ", "Lò Văn 3", "<script>", "A"])
    func personNamesMustBeLetters(_ text: String) {
        #expect(throws: ValidationError.self) { try PersonName(text) }
    }

    @Test func freeTextRejectsControlCharactersAndOverlongText() {
        #expect(throws: ValidationError.self) { try VietnameseText.required("a\u{0007}b", field: "note") }
        #expect(throws: ValidationError.self) { try VietnameseText.required(String(repeating: "ă", count: 201), field: "note") }
        #expect(throws: ValidationError.self) { try VietnameseText.required(" ", field: "note") }
        #expect(throws: ValidationError.self) { try VietnameseText.required("a\u{7F}b", field: "note") }
        #expect(throws: ValidationError.self) { try VietnameseText.required("a\u{9B}b", field: "note") }
    }

    @Test func theLengthLimitCountsCharactersNotBytes() throws {
        let twoHundred = String(repeating: "ă", count: 200)
        #expect(twoHundred.utf8.count == 400)
        #expect(try VietnameseText.required(twoHundred, field: "note") == twoHundred)
    }
}
