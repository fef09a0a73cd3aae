/// The `limit` of a page of the admin API's lists: 100 unless given, at most ``maximum``.
package enum PageLimit {
    package static let maximum = 500

    /// - Throws: a 400 problem naming `limit` when it is not a number from 1 to ``maximum``.
    package static func parse(_ text: String?) throws -> Int {
        guard let text else { return 100 }
        guard let value = Int(text), (1...maximum).contains(value) else {
            throw ProblemDetails.badRequest(
                "limit is out of range",
                errors: [.init(field: "limit", code: .outOfRange, message: "must be a number from 1 to \(maximum)")]
            )
        }
        return value
    }
}
