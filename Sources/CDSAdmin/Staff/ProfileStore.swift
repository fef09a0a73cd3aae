import Foundation

/// The profiles of `cds-admin login`: a server and a token under a name, in `$XDG_CONFIG_HOME/cds-admin/profiles.json`
/// (by default `~/.config/cds-admin/`), the file readable by its owner only (0600, in a 0700 directory), since it
/// holds bearer tokens.
struct ProfileStore {
    struct Profile: Codable, Equatable {
        var server: String
        var token: String
    }

    struct Contents: Codable {
        var current: String?
        var profiles: [String: Profile] = [:]
    }

    let file: URL

    /// The store of the current user.
    static func standard(_ environment: [String: String] = StaffEnvironment.current) throws -> ProfileStore {
        let base: URL
        if let config = environment["XDG_CONFIG_HOME"], !config.isEmpty {
            base = URL(fileURLWithPath: config)
        } else if let home = environment["HOME"], !home.isEmpty {
            base = URL(fileURLWithPath: home).appendingPathComponent(".config")
        } else {
            throw AdminError.failure("neither XDG_CONFIG_HOME nor HOME is set: cannot find where profiles are kept")
        }
        return ProfileStore(file: base.appendingPathComponent("cds-admin/profiles.json"))
    }

    func load() throws -> Contents {
        guard FileManager.default.fileExists(atPath: file.path) else { return Contents() }
        do {
            return try JSONDecoder().decode(Contents.self, from: Data(contentsOf: file))
        } catch {
            throw AdminError.failure("\(file.path) is not a profile file (\(error.localizedDescription)): remove it and log in again")
        }
    }

    /// Writes the contents with owner-only permissions: the file is created 0600 before the tokens go in.
    func save(_ contents: Contents) throws {
        let directory = file.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try PrivateFile.write(try encoder.encode(contents), to: file)
    }
}
