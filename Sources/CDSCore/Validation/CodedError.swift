/// An error with a stable code for programs to switch on and a message for people, as the control plane and the
/// embedded cluster report theirs.
public struct CodedError<Code: Hashable & Sendable & CustomStringConvertible>: Error, Hashable, Sendable, CustomStringConvertible {
    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
