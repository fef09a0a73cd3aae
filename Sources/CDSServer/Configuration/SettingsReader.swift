/// Reads typed values out of a ``ConfigurationSource``, collecting a problem per bad value instead of stopping at the
/// first, so that an operator fixes them all in one go.
struct SettingsReader {
    let source: ConfigurationSource
    private(set) var problems: [String] = []

    init(_ source: ConfigurationSource) { self.source = source }

    /// The setting's text, `nil` when unset or empty.
    func text(_ setting: ServerSetting) -> String? { source.text(setting) }

    /// The parsed value, or `nil` when unset; a value `parse` refuses is a problem saying what was `expected`.
    mutating func value<Value>(_ setting: ServerSetting, expected: String, _ parse: (String) -> Value?) -> Value? {
        guard let text = text(setting) else { return nil }
        guard let value = parse(text) else {
            report(setting, "must be \(expected), not '\(text)'")
            return nil
        }
        return value
    }

    /// A whole number within `range`, or `nil` when unset.
    mutating func integer(_ setting: ServerSetting, in range: ClosedRange<Int>, unit: String) -> Int? {
        value(setting, expected: "\(unit) from \(range.lowerBound) to \(range.upperBound)") { Int($0).flatMap { range.contains($0) ? $0 : nil } }
    }

    /// `true` or `false`, or `nil` when unset.
    mutating func flag(_ setting: ServerSetting) -> Bool? {
        value(setting, expected: "true or false") { Bool($0.lowercased()) }
    }

    /// Records a problem with the setting, naming where its value came from.
    mutating func report(_ setting: ServerSetting, _ problem: String) {
        let origin = source.entries[setting].map { " (\($0.origin))" } ?? ""
        problems.append("\(setting.name) \(problem)\(origin)")
    }
}
