import ArgumentParser
import CDSDatabase

struct DBURLCommand: AsyncParsableCommand {
    enum Role: String, ExpressibleByArgument, CaseIterable {
        case owner, app
    }

    static let configuration = CommandConfiguration(
        commandName: "url",
        abstract: "Print a libpq URL of the database in use, for psql \"$(cds-admin db url)\".",
        discussion: "The embedded cluster must be running (cds-server, or cds-admin db start)."
    )

    @Option(help: "Connect as the owner role (cds_owner) or the application role (cds_app).")
    var role: Role = .app

    func run() async throws {
        let settings = OperatorDatabase.settings
        if let url = settings.databaseURL {
            guard role == .owner else {
                Console.print(url)
                return
            }
            guard let owner = settings.ownerURL else { throw AdminError.notFound("CDS_DATABASE_OWNER_URL is not set") }
            Console.print(owner)
            return
        }
        guard let embedded = try await EmbeddedPostgres.attach(dataDirectory: settings.dataDirectory, logger: OperatorDatabase.logger) else {
            throw AdminError.notFound(
                "the embedded PostgreSQL in \(settings.dataDirectory.path) is not running: start it with `cds-admin db start`"
            )
        }
        Console.print(role == .owner ? embedded.ownerEndpoint.url : embedded.applicationEndpoint.url)
    }
}
