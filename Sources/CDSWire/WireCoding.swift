import CDSCore
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

    /// The client's: the inverse of ``encoder``, by ``FieldName``.
    public static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        decoder.keyDecodingStrategy = .custom { path in
            WireKey(stringValue: FieldName.swiftName(of: path[path.count - 1].stringValue))
        }
        return decoder
    }()
}

/// A key made by ``WireCoding/decoder``'s strategy.
struct WireKey: CodingKey {
    let stringValue: String
    let intValue: Int? = nil

    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
