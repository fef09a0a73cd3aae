/// Settings that cannot be used: one line per bad value, each saying what is expected instead.
public struct ConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    public let problems: [String]

    public init(_ problems: [String]) { self.problems = problems }
    public init(_ problem: String) { self.problems = [problem] }

    public var description: String {
        problems.count == 1
            ? problems[0] : "the configuration has \(problems.count) problems:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}
