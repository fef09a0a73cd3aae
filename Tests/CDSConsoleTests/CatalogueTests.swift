import Foundation
import Testing

@testable import CDSConsole

/// Every word of the console in both languages, and no template naming a word the catalogue lacks (Mustache would
/// render a missing one as nothing, silently).
@Suite struct CatalogueTests {
    @Test func everyEntryHasVietnameseAndEnglish() throws {
        let catalogue = try Catalogue()
        #expect(catalogue.keys.count > 50)
        for key in catalogue.keys {
            let entry = catalogue.entry(key)
            #expect(entry["vi"]?.isEmpty == false && entry["en"]?.isEmpty == false, "\(key)")
            #expect(Set(entry.keys) == ["vi", "en"], "\(key)")
            #expect(!key.contains("."), "\(key): Mustache reads a dot as a step into a value")
        }
    }

    @Test func everyWordATemplateUsesIsInTheCatalogue() throws {
        let keys = Set(try Catalogue().keys)
        let sources = try PageRenderer.templateSources()
        #expect(sources.count >= 5)
        let pattern = try Regex(#"\{\{\s*t\.([A-Za-z0-9_.]+)\s*\}\}"#)
        var used = 0
        for (file, source) in sources {
            for match in source.matches(of: pattern) {
                used += 1
                let key = String(source[match.range]).dropFirst(4).dropLast(2).trimmingCharacters(in: .whitespaces)
                #expect(keys.contains(key), "\(file) uses t.\(key), which the catalogue lacks")
            }
        }
        #expect(used > 20)
    }
}
