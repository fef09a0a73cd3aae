import CDSServer
import Foundation
import Logging

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
