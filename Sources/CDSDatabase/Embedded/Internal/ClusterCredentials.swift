import Foundation

/// The passwords of the embedded cluster's roles, generated once and kept in the data directory
/// (mode 0600), so that every process using the cluster can connect.
struct ClusterCredentials: Codable, Sendable {
    var superuser: String
    var owner: String
    var application: String

    static func loadOrCreate(at url: URL) throws -> ClusterCredentials {
        if let data = try? Data(contentsOf: url) {
            return try JSONDecoder().decode(ClusterCredentials.self, from: data)
        }
        let credentials = ClusterCredentials(superuser: randomSecret(), owner: randomSecret(), application: randomSecret())
        let data = try JSONEncoder().encode(credentials)
        guard FileManager.default.createFile(atPath: url.path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw EmbeddedPostgresError(.dataDirectoryUnreachable, "cannot write \(url.path)")
        }
        return credentials
    }

    /// 128 random bits as hex: safe to place in SQL and URLs without escaping.
    static func randomSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
    }
}
