import Foundation

/// The fields of an `application/x-www-form-urlencoded` body (or a query string), in order, repeats kept:
/// Open311 sends `media_url` and list answers (`attribute[code]`) more than once.
struct FormFields: Sendable {
    private(set) var fields: [(name: String, value: String)] = []

    /// - Throws: ``Open311Error`` 400 for bytes that are not percent-encoded UTF-8.
    init(encoded text: some StringProtocol) throws {
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]), let value = Self.decode(parts.count == 2 ? parts[1] : "") else {
                throw Open311Error(.badRequest, "the form is not percent-encoded UTF-8")
            }
            fields.append((name, value))
        }
    }

    /// The first value of `name`, nil when absent.
    subscript(name: String) -> String? {
        fields.first { $0.name == name }?.value
    }

    /// Every value of `name`, in order.
    func all(_ name: String) -> [String] {
        fields.filter { $0.name == name }.map(\.value)
    }

    /// `+` is a space in a form; the rest is percent-decoding.
    private static func decode(_ text: some StringProtocol) -> String? {
        String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
