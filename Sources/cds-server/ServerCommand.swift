import ArgumentParser
import CDSDatabase
import CDSServer
import Foundation
import Logging
import NIOCore
import NIOPosix

/// Thin on purpose: read the command line and the configuration, then hand over to the CDSServer library.
@main
struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cds-server",
        abstract: "The community digital technology teams' server: admin API, partner feedback APIs and roster sync.",
        discussion: "Settings come from the environment and, under it, from --config FILE (NAME=value lines); README lists them all."
    )

    @Option(name: .long, help: "A file of NAME=value settings; the environment overrides it.")
    var config: String?

    @Flag(name: .long, help: "Print the effective configuration (passwords masked) and exit.")
    var printConfig = false

    func run() async throws {
        let source: ConfigurationSource
        let serverConfiguration: ServerConfiguration
        do {
            source = try ConfigurationSource(environment: ProcessInfo.processInfo.environment, file: config.map { URL(fileURLWithPath: $0) })
            serverConfiguration = try ServerConfiguration(source)
        } catch {
            FileHandle.standardError.write(Data("cds-server: \(error)\n".utf8))
            throw ExitCode(78)  // EX_CONFIG: systemd does not restart a unit on it (RestartPreventExitStatus)
        }
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
            FileHandle.standardError.write(Data("cds-server: \(operatorDescription(of: error) ?? String(describing: error))\n".utf8))
            throw ExitCode.failure
        }
    }
}
