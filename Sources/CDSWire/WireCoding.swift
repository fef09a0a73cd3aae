import Foundation

/// The encoder and decoder of the ``Wire`` types: snake_case on the wire, camel case in Swift.
public enum WireCoding {
    /// The server's: `teamID` is written `team_id`, `webhookURL` `webhook_url`; dates in ISO 8601, as Hummingbird's
    /// own default encoder writes them.
    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    /// The client's: the inverse of ``encoder``. Foundation's `convertFromSnakeCase` reads `team_id` as `teamId`,
    /// which misses the Swift name `teamID`; the initialisms the API's names use are spelt in capitals here.
    public static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        decoder.keyDecodingStrategy = .custom { path in
            WireKey(stringValue: swiftName(of: path[path.count - 1].stringValue))
        }
        return decoder
    }()

    static let initialisms: Set<String> = ["id", "url"]

    /// `client_request_id` → `clientRequestID`; a key without underscores is kept as it is.
    static func swiftName(of key: String) -> String {
        let words = key.split(separator: "_", omittingEmptySubsequences: false)
        guard words.count > 1, let first = words.first else { return key }
        return String(first) + words.dropFirst().map { word in
            initialisms.contains(String(word)) ? word.uppercased() : word.prefix(1).uppercased() + word.dropFirst()
        }.joined()
    }
}

/// A key made by ``WireCoding/decoder``'s strategy.
struct WireKey: CodingKey {
    let stringValue: String
    let intValue: Int? = nil

    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
