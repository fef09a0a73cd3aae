import Logging

/// How `cds-server` writes its log to standard error (`CDS_LOG_FORMAT`).
public enum LogFormat: String, Sendable, CaseIterable {
    /// One JSON object a line, for journald and log shippers.
    case json
    /// swift-log's plain lines, for a terminal.
    case text

    /// Installs the process's log handler: call once, first thing, before any logger is made.
    public func bootstrap(level: Logger.Level) {
        switch self {
        case .json:
            LoggingSystem.bootstrap { label in
                var handler = JSONLogHandler(label: label)
                handler.logLevel = level
                return handler
            }
        case .text:
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        }
    }
}
