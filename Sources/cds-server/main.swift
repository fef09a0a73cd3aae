import CDSServer
import Foundation
import Logging
import NIOCore
import NIOPosix

// Swift concurrency's jobs run on NIO's event loop threads, the ones the HTTP, gRPC and PostgreSQL connections use:
// a request awaiting PostgreSQL resumes without a hop between two thread pools. Under load those hops (thread
// wake-ups and context switches) cost the server more CPU than its own work. Nothing in the server blocks a thread.
_ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()

// Thin on purpose: read the environment, then hand over to the CDSServer library.
LoggingSystem.bootstrap { label in
    var handler = StreamLogHandler.standardError(label: label)
    handler.logLevel = ProcessInfo.processInfo.environment["CDS_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
    return handler
}
let logger = Logger(label: "cds-server")
do {
    try await Server.run(configuration: .fromEnvironment(), logger: logger)
} catch {
    FileHandle.standardError.write(Data("cds-server: \(error)\n".utf8))
    exit(1)
}
