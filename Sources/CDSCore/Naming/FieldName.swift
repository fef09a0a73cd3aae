/// The one rule between Swift's names and the snake_case names of the API's fields and the database's columns:
/// `teamID` is `team_id`, `webhookURL` `webhook_url`, `clientRequestID` `client_request_id`.
public enum FieldName {
    /// The initialisms that the snake_case names use (`id`, `pem`, `sha256`, `url`), spelt in capitals in Swift.
    static let initialisms: Set<String> = ["id", "pem", "sha256", "url"]

    /// `clientRequestID` → `client_request_id`.
    public static func snakeCase(of swiftName: String) -> String {
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

    /// `client_request_id` → `clientRequestID`; a name without underscores is kept as it is. Foundation's
    /// `convertFromSnakeCase` reads `team_id` as `teamId`, which misses the Swift name `teamID`.
    public static func swiftName(of snakeCase: String) -> String {
        let words = snakeCase.split(separator: "_", omittingEmptySubsequences: false)
        guard words.count > 1, let first = words.first else { return snakeCase }
        return String(first)
            + words.dropFirst().map { word in
                initialisms.contains(String(word)) ? word.uppercased() : word.prefix(1).uppercased() + word.dropFirst()
            }.joined()
    }
}
