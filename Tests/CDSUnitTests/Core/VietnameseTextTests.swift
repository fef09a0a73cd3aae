import CDSCore
import Foundation
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

    /// Text made only of scalars below U+0300 and in U+1E00–U+1EFF is taken as NFC without asking Foundation. Each
    /// such scalar is NFC alone and a starter (canonical combining class 0: no combining mark, which is what composes
    /// with the scalar before it); and none composes after a Latin letter, checked against Foundation.
    @Test func latinTextIsAlreadyComposed() {
        let latin = (Array(0x21..<0x300) + Array(0x1E00...0x1EFF)).compactMap(Unicode.Scalar.init).filter { !$0.properties.isWhitespace }
        func composed(_ text: String) -> Bool { text.precomposedStringWithCanonicalMapping.unicodeScalars.elementsEqual(text.unicodeScalars) }
        let notStarters = latin.filter { $0.properties.canonicalCombiningClass != .notReordered }.map { String($0.value, radix: 16) }
        #expect(notStarters.isEmpty, "not starters: U+\(notStarters.prefix(5))")
        #expect(latin.filter { !composed(String($0)) }.isEmpty)
        #expect(latin.allSatisfy { VietnameseText.normalized(String($0)).unicodeScalars.elementsEqual([$0]) })
        for first in "aeiouyAEIOUYdDnN".unicodeScalars {
            let composing = latin.filter { !composed(String(first) + String($0)) }.map { String($0.value, radix: 16) }
            #expect(composing.isEmpty, "\(first) composes with U+\(composing.prefix(5))")
        }
    }

    /// Whitespace below U+0100 is looked up by value, not in Unicode's table: the two agree.
    @Test func whitespaceBelowLatinExtendedIsUnicodes() {
        for value in 0..<0x100 {
            let scalar = Unicode.Scalar(UInt8(value))
            guard !(value < 0x20 || (0x7F...0x9F).contains(value)) || scalar.properties.isWhitespace else { continue }
            let expected = scalar.properties.isWhitespace ? "a b" : "a\(scalar)b"
            #expect(VietnameseText.normalized("a\(scalar)b") == expected, "U+\(String(value, radix: 16))")
        }
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
