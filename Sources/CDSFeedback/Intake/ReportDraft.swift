/// A report as a partner app sends it, every field as typed: what ``ReportSubmission/check(_:catalogue:)`` checks.
/// Both surfaces fill it: Open311's form fields and the native API's JSON.
public struct ReportDraft: Hashable, Sendable {
    public var categoryCode: String?
    /// A commune's or hamlet's code (Open311's `address_id`).
    public var location: String?
    public var latitude: String?
    public var longitude: String?
    public var address: String?
    public var description: String?
    public var mediaURLs: [String] = []
    /// Answers to the category's questions, by attribute code; a multi-value list answers with several.
    public var attributes: [String: [String]] = [:]
    public var contactName: String?
    public var contactPhone: String?
    public var contactEmail: String?

    public init() {}
}
