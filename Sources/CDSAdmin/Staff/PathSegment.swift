import Foundation

extension String {
    /// A name (a partner app's, a sync client's, a report's tracking code) as one segment of an admin API path.
    var pathSegment: String {
        addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? self
    }
}
