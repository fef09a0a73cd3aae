import ArgumentParser
import CDSDatabase

struct DBStopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stop", abstract: "Stop the embedded cluster in CDS_DATA_DIR.")

    func run() async throws {
        let settings = OperatorDatabase.settings
        guard settings.isEmbedded else {
            throw AdminError.usage("CDS_DATABASE_URL is set: this server is not embedded, stop it with its own tools")
        }
        guard try await EmbeddedPostgres.runningPort(dataDirectory: settings.dataDirectory) != nil else {
            Console.print("The embedded PostgreSQL in \(settings.dataDirectory.path) is not running.")
            return
        }
        try await EmbeddedPostgres.stopServer(dataDirectory: settings.dataDirectory, logger: OperatorDatabase.logger)
        Console.print("Stopped the embedded PostgreSQL in \(settings.dataDirectory.path).")
    }
}
