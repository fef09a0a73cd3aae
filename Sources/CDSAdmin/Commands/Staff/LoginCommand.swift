import ArgumentParser
import CDSWire
import Foundation

/// `cds-admin login --server URL [--profile NAME]`: checks a token against the server and keeps both as a profile.
struct LoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Keep a server and a token as a profile for the staff commands.",
        discussion: """
            The token is read from standard input (one line), so that it stays out of the shell's history:
                cds-admin login --server https://cds.sonla.gov.vn < token.txt
            It is checked against the server before it is kept, in a file only you can read.
            """
    )

    @Option(help: "The server's URL, e.g. https://cds.sonla.gov.vn or http://127.0.0.1:8080.")
    var server: String

    @Option(help: "The profile's name; the profile logged in last is the default for later commands.")
    var profile: String = "default"

    func run() async throws {
        let typed = StaffEnvironment.input.map { $0.split(separator: "\n").first.map(String.init) ?? "" } ?? readLine(strippingNewline: true)
        guard let line = typed?.trimmingCharacters(in: .whitespaces), !line.isEmpty else {
            throw AdminError.usage("no token on standard input: cds-admin login --server \(server) < token.txt")
        }
        let client = try AdminClient(server: server, token: line)
        let me = try await client.get("/v1/me", as: Wire.Me.self)
        let store = try ProfileStore.standard()
        var contents = try store.load()
        contents.profiles[profile] = .init(server: client.server.absoluteString, token: line)
        contents.current = profile
        try store.save(contents)
        Console.printError("logged in to \(client.server.absoluteString) as \(me.name) (profile \(profile), kept in \(store.file.path))")
    }
}
