import ArgumentParser
import CDSDatabase

struct DBStartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Start the embedded cluster in CDS_DATA_DIR and keep it running (stop it with `cds-admin db stop`)."
    )

    func run() async throws {
        let settings = OperatorDatabase.settings
        guard settings.isEmbedded else {
            throw AdminError.usage("CDS_DATABASE_URL is set: this server is not embedded, start it with its own tools")
        }
        // Prepared (migrated, reference units loaded), then left running: this process does not stop it.
        let target = try await DatabaseTarget.prepare(settings, logger: OperatorDatabase.logger)
        guard let embedded = target.embedded else { return }
        Console.print(
            embedded.startedHere
                ? "Started the embedded PostgreSQL in \(embedded.dataDirectory.path) on 127.0.0.1:\(embedded.port)."
                : "The embedded PostgreSQL in \(embedded.dataDirectory.path) is already running on 127.0.0.1:\(embedded.port)."
        )
    }
}
