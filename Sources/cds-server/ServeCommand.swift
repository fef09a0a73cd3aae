import ArgumentParser
import CDSServer
import Logging
import NIOCore
import NIOPosix

/// `cds-server` (`cds-server serve`): the HTTP, gRPC and metrics listeners until SIGTERM.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve until SIGTERM (the default). With CDS_DATABASE_OWNER_URL it migrates first; without, it checks the schema is current."
    )

    @OptionGroup var settings: SettingsOptions

    @Flag(name: .long, help: "Print the effective configuration (passwords masked) and exit.")
    var printConfig = false

    func run() async throws {
        let (source, serverConfiguration) = try settings.load()
        if printConfig {
            print(serverConfiguration.listing(source: source))
            return
        }
        // Swift concurrency's jobs run on NIO's event loop threads, the ones the HTTP, gRPC and PostgreSQL connections
        // use: a request awaiting PostgreSQL resumes without a hop between two thread pools. Under load those hops
        // (thread wake-ups and context switches) cost the server more CPU than its own work. Nothing in the server
        // blocks a thread.
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        serverConfiguration.logFormat.bootstrap(level: serverConfiguration.logLevel)
        do {
            try await Server.run(configuration: serverConfiguration, logger: Logger(label: "cds-server"))
        } catch {
            throw exitReporting(error)
        }
    }
}
