import Foundation

/// The fields an update command is given, by their names in the admin API: a field left out stays as it is, and at
/// least one must be given.
struct FieldChanges {
    private let fields: [String: (any Encodable & Sendable)?]
    /// The names of the fields given, sorted.
    let names: [String]

    /// - Parameter example: the option that the usage error suggests when no field is given, e.g. `--phone`.
    init(_ fields: [String: (any Encodable & Sendable)?], example: String) throws {
        let names = fields.compactMapValues { $0 }.keys.sorted()
        guard !names.isEmpty else { throw AdminError.usage("nothing to change: give at least one field, e.g. \(example)") }
        self.fields = fields
        self.names = names
    }

    /// What the change does to `object` (e.g. "the member <id>"), as a dry run says it.
    func summary(of object: String) -> String {
        "change \(names.joined(separator: ", ")) of \(object)"
    }

    /// The JSON body of the change.
    func body() throws -> Data {
        try AdminClient.body(fields)
    }
}
