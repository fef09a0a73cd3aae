/// Why a file cannot be imported: every bad line, with the field and the reason. Nothing was imported.
public struct ImportError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct LineError: Hashable, Sendable, CustomStringConvertible {
        public let line: Int
        public let field: String?
        public let message: String

        public init(line: Int, field: String?, message: String) {
            self.line = line
            self.field = field
            self.message = message
        }

        public var description: String {
            "line \(line)" + (field.map { ", \($0)" } ?? "") + ": \(message)"
        }
    }

    public let errors: [LineError]

    public init(_ errors: [LineError]) {
        self.errors = errors
    }

    public var description: String {
        let shown = errors.prefix(50).map(\.description)
        let more = errors.count > 50 ? ["… and \(errors.count - 50) more"] : []
        return (["\(errors.count) line(s) cannot be imported; nothing was imported:"] + shown + more).joined(separator: "\n")
    }
}
