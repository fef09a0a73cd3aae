import Foundation

/// Every word of the console, in Vietnamese and English: `messages.json`, one entry per key with both languages.
/// Templates read the chosen language's words as `{{t.key}}`.
package struct Catalogue: Sendable {
    static let languages = ["vi", "en"]

    private let entries: [String: [String: String]]

    package init() throws {
        guard let url = Bundle.module.url(forResource: "messages", withExtension: "json") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "messages.json"])
        }
        entries = try JSONDecoder().decode([String: [String: String]].self, from: Data(contentsOf: url))
    }

    /// Every key, for the test that each has both languages and that the templates name only these.
    package var keys: [String] { entries.keys.sorted() }

    /// The words of `language` by key (Vietnamese for an unknown language).
    func words(_ language: String) -> [String: String] {
        let chosen = Self.languages.contains(language) ? language : "vi"
        return entries.compactMapValues { $0[chosen] ?? $0["vi"] }
    }

    /// One text in `language`, with `{name}` placeholders filled in.
    func text(_ key: String, _ language: String, _ values: [String: String] = [:]) -> String {
        var text = entries[key]?[language] ?? entries[key]?["vi"] ?? key
        for (name, value) in values { text = text.replacingOccurrences(of: "{\(name)}", with: value) }
        return text
    }

    /// Both languages of every entry, for the completeness test.
    package func entry(_ key: String) -> [String: String] { entries[key] ?? [:] }

    /// The options of a `<select>`: each value named by the entry `prefix` + value (the empty value by `emptyKey`),
    /// the selected one marked.
    func choices(_ values: [String], prefix: String, selected: String?, language: String, emptyKey: String = "choice_any") -> [[String: Any]] {
        values.map { value in
            ["value": value, "label": text(value.isEmpty ? emptyKey : prefix + value, language), "selected": value == selected]
        }
    }
}
