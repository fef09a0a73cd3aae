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

    /// As ``encoder``, with sorted keys and slashes unescaped: for the answers the partner API keeps and replays byte
    /// for byte (an idempotent filing), and the feedback answers written beside them.
    public static let sortedEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// The client's: the inverse of ``encoder``. Foundation's `convertFromSnakeCase` reads `team_id` as `teamId`,
    /// which misses the Swift name `teamID`; the initialisms the API's names use (ID, PEM, SHA256, URL) are spelt in capitals here.
    public static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        decoder.keyDecodingStrategy = .custom { path in
            WireKey(stringValue: swiftName(of: path[path.count - 1].stringValue))
        }
        return decoder
    }()

    static let initialisms: Set<String> = ["id", "pem", "sha256", "url"]

    /// `clientRequestID` → `client_request_id`: the name ``encoder`` writes for a Swift name, for messages that name
    /// a field as the client sent it (a decoding error's coding path holds the Swift names).
    public static func wireName(of swiftName: String) -> String {
        let characters = Array(swiftName)
        var name = ""
        for (index, character) in characters.enumerated() {
            // A word starts at a capital after a small letter or digit (`teamID`), or at the last capital of a run
            // that a small letter follows (`URLValue`).
            if index > 0, character.isUppercase {
                let previous = characters[index - 1]
                let next = index + 1 < characters.count ? characters[index + 1] : nil
                if !previous.isUppercase || next?.isLowercase == true { name.append("_") }
            }
            name += character.lowercased()
        }
        return name
    }

    /// `client_request_id` → `clientRequestID`; a key without underscores is kept as it is.
    static func swiftName(of key: String) -> String {
        let words = key.split(separator: "_", omittingEmptySubsequences: false)
        guard words.count > 1, let first = words.first else { return key }
        return String(first)
            + words.dropFirst().map { word in
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
