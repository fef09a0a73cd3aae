import CDSAdminAPI
import CDSDatabase
import CDSFeedback
import CDSRosterSync
import Foundation

/// What `cds-server` needs to start, read from the environment at the edge (DESIGN §5).
public struct ServerConfiguration: Sendable {
    /// A `host:port` to listen on.
    public struct Address: Hashable, Sendable, CustomStringConvertible {
        public var host: String
        public var port: Int

        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }

        /// Parses `host:port` or `[v6]:port`.
        /// - Throws: ``ConfigurationError`` naming the variable and the expected form.
        public init(_ text: String, variable: String) throws(ConfigurationError) {
            guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
                throw ConfigurationError("\(variable) must be host:port (e.g. 127.0.0.1:8080), not '\(text)'")
            }
            var host = String(text[..<colon])
            if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            guard !host.isEmpty else { throw ConfigurationError("\(variable) names no host: '\(text)'") }
            self.init(host: host, port: port)
        }

        public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
    }

    /// `CDS_HTTP_ADDR`, default 127.0.0.1:8080: the admin API, the partner API and the health endpoints.
    public var httpAddress: Address
    /// `CDS_GRPC_ADDR`, default 127.0.0.1:8443: the roster sync's gRPC listener (TLS only; port 0: any free port).
    public var grpcAddress: Address
    /// `CDS_TLS_CERT`, `CDS_TLS_KEY`, `CDS_TLS_CLIENT_CA`; `nil`: the development material in `CDS_DATA_DIR/tls/`.
    public var syncTLS: SyncTLSFiles?
    /// The database: `CDS_DATABASE_URL`, `CDS_DATABASE_OWNER_URL`, `CDS_DATA_DIR`.
    public var database: DatabaseSettings
    /// `CDS_RATE_LIMIT`, requests per minute per token, default 1200; `0` turns the limit off (benchmarks).
    public var rateLimit: RateLimit?
    /// `CDS_WEBHOOK_ALLOW_LOOPBACK=true` (development and tests only): webhooks may go to loopback addresses.
    public var webhooks = WebhookDelivery.Settings()

    public init(
        httpAddress: Address = Address(host: "127.0.0.1", port: 8080),
        grpcAddress: Address = Address(host: "127.0.0.1", port: 8443),
        syncTLS: SyncTLSFiles? = nil,
        database: DatabaseSettings,
        rateLimit: RateLimit? = RateLimit(perMinute: 1200)
    ) {
        self.httpAddress = httpAddress
        self.grpcAddress = grpcAddress
        self.syncTLS = syncTLS
        self.database = database
        self.rateLimit = rateLimit
    }

    /// - Throws: ``ConfigurationError`` for the first malformed value.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigurationError) -> Self {
        var configuration = Self(database: .fromEnvironment(environment))
        if let http = environment["CDS_HTTP_ADDR"], !http.isEmpty {
            configuration.httpAddress = try Address(http, variable: "CDS_HTTP_ADDR")
        }
        if let grpc = environment["CDS_GRPC_ADDR"], !grpc.isEmpty {
            configuration.grpcAddress = try Address(grpc, variable: "CDS_GRPC_ADDR")
        }
        do {
            configuration.syncTLS = try SyncTLSFiles.fromEnvironment(environment)
        } catch {
            throw ConfigurationError(String(describing: error))
        }
        if let limit = environment["CDS_RATE_LIMIT"], !limit.isEmpty {
            guard let perMinute = Int(limit), perMinute >= 0 else {
                throw ConfigurationError("CDS_RATE_LIMIT must be a number of requests per minute per token (0: no limit), not '\(limit)'")
            }
            configuration.rateLimit = perMinute == 0 ? nil : RateLimit(perMinute: perMinute)
        }
        if let loopback = environment["CDS_WEBHOOK_ALLOW_LOOPBACK"], !loopback.isEmpty {
            guard let allow = Bool(loopback) else {
                throw ConfigurationError("CDS_WEBHOOK_ALLOW_LOOPBACK must be true or false, not '\(loopback)'")
            }
            configuration.webhooks.allowLoopback = allow
        }
        return configuration
    }
}

/// A setting that cannot be used, with what is expected instead.
public struct ConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
