import Foundation

/// The text of each setting and where it came from: the environment over the `--config` file.
///
/// The file has the environment's names, one `NAME=value` a line (blank lines and `#` comments allowed, a value may be
/// quoted): the format of systemd's `EnvironmentFile=`, so one file serves both.
public struct ConfigurationSource: Sendable {
    public enum Origin: Hashable, Sendable, CustomStringConvertible {
        case environment
        case file(String)

        public var description: String {
            switch self {
            case .environment: "environment"
            case .file(let path): path
            }
        }
    }

    /// A setting's text as given, and from where.
    public struct Entry: Hashable, Sendable {
        public let text: String
        public let origin: Origin
    }

    public let entries: [ServerSetting: Entry]

    /// - Throws: ``ConfigurationError`` listing every line of the file that cannot be used, when the file cannot be read,
    ///   names an unknown setting or is malformed.
    public init(environment: [String: String], file: URL? = nil) throws(ConfigurationError) {
        var entries: [ServerSetting: Entry] = [:]
        if let file {
            entries = try Self.read(file)
        }
        for setting in ServerSetting.allCases {
            if let text = environment[setting.name] { entries[setting] = Entry(text: text, origin: .environment) }
        }
        self.entries = entries
    }

    /// The setting's text, `nil` when unset or empty.
    public func text(_ setting: ServerSetting) -> String? {
        entries[setting].flatMap { $0.text.isEmpty ? nil : $0.text }
    }

    static func read(_ file: URL) throws(ConfigurationError) -> [ServerSetting: Entry] {
        guard let data = FileManager.default.contents(atPath: file.path), let contents = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(["cannot read the configuration file \(file.path)"])
        }
        var entries: [ServerSetting: Entry] = [:]
        var problems: [String] = []
        for (index, rawLine) in contents.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let place = "\(file.path):\(index + 1)"
            guard let equals = line.firstIndex(of: "=") else {
                problems.append("\(place): expected NAME=value, not '\(line)'")
                continue
            }
            let name = line[..<equals].trimmingCharacters(in: .whitespaces)
            guard let setting = ServerSetting(rawValue: name) else {
                problems.append("\(place): \(name) is not a setting of cds-server (see README, Configuration)")
                continue
            }
            entries[setting] = Entry(text: unquoted(line[line.index(after: equals)...]), origin: .file(place))
        }
        guard problems.isEmpty else { throw ConfigurationError(problems) }
        return entries
    }

    /// `value`, `"value"` or `'value'`, as systemd reads them.
    static func unquoted(_ text: Substring) -> String {
        let value = text.trimmingCharacters(in: .whitespaces)
        for quote in ["\"", "'"] where value.count >= 2 && value.hasPrefix(quote) && value.hasSuffix(quote) {
            return String(value.dropFirst().dropLast())
        }
        return value
    }
}
