import CDSAdminAPI
import CDSDatabase
import CDSFeedback
import CDSHTTP
import CDSRosterSync
import Foundation
import Logging

/// What `cds-server` needs to start, read at the edge from the environment and the optional `--config` file;
/// each field names its setting (``ServerSetting``).
public struct ServerConfiguration: Sendable {
    /// A `host:port` to listen on.
    public struct Address: Hashable, Sendable, CustomStringConvertible {
        public var host: String
        public var port: Int

        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }

        /// Parses `host:port` or `[v6]:port`; `nil` for anything else.
        public init?(_ text: String) {
            guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
                return nil
            }
            var host = String(text[..<colon])
            if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            guard !host.isEmpty else { return nil }
            self.init(host: host, port: port)
        }

        public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

        /// Whether only this machine can reach it: `localhost`, an IPv4 address in 127.0.0.0/8, or `::1`.
        public var isLoopback: Bool {
            if host == "localhost" || host == "::1" { return true }
            let octets = host.split(separator: ".", omittingEmptySubsequences: false).compactMap { UInt8($0) }
            return octets.count == 4 && octets[0] == 127
        }
    }

    /// `CDS_HTTP_ADDR`, default 127.0.0.1:8080: the admin API, the partner APIs and health.
    public var httpAddress: Address
    /// `CDS_METRICS_ADDR`, default 127.0.0.1:9464: `/metrics` on a listener of its own, on loopback unless told, so
    /// that the partners' listener never shows the process's counters.
    public var metricsAddress = Address(host: "127.0.0.1", port: 9464)
    /// `CDS_GRPC_ADDR`, default 127.0.0.1:8443: the roster sync's gRPC listener (TLS only; port 0: any free port).
    public var grpcAddress: Address
    /// `CDS_TLS_CERT`, `CDS_TLS_KEY`, `CDS_TLS_CLIENT_CA`; `nil`: the development material in `CDS_DATA_DIR/tls/`.
    public var syncTLS: SyncTLSFiles?
    /// `CDS_GRPC_MAX_MESSAGE_BYTES`, `CDS_GRPC_MAX_RECORDS_PER_PUSH`, `CDS_GRPC_MAX_CONCURRENT_STREAMS`,
    /// `CDS_GRPC_PUSH_SILENCE_TIMEOUT`, `CDS_GRPC_PUSH_SKIP_UNCHANGED`.
    public var syncLimits = RosterSyncLimits()
    /// The database: `CDS_DATABASE_URL`, `CDS_DATABASE_OWNER_URL`, `CDS_DATA_DIR`, `CDS_DATABASE_POOL_SIZE`,
    /// `CDS_DATABASE_PREPARED_STATEMENTS`, `CDS_DATABASE_ACQUIRE_TIMEOUT`, `CDS_DATABASE_ENGINE`.
    public var database: DatabaseSettings
    /// `CDS_RATE_LIMIT`, requests per minute per token, default 1200; `0` turns the limit off (benchmarks).
    public var rateLimit: RateLimit?
    /// `CDS_PUBLIC_RATE_LIMIT` (requests per minute per client address on the public routes, default 300; `0`: no
    /// limit) and `CDS_TRUSTED_PROXIES`; the public reads' database share is a quarter of the pool.
    public var publicTraffic = PublicTrafficLimits()
    /// `CDS_WEBHOOK_ALLOW_LOOPBACK=true` (development and tests only) and `CDS_WEBHOOK_RETRY_HOURS`.
    public var webhooks = WebhookDelivery.Settings()
    /// `CDS_SHUTDOWN_TIMEOUT`, default 25 s: how long requests and calls in flight may finish after SIGTERM before
    /// they are cancelled (systemd's own limit, 30 s by default in the unit, comes after it).
    public var shutdownTimeout: Duration = .seconds(25)
    /// `CDS_LOG_LEVEL`, default info.
    public var logLevel: Logger.Level = .info
    /// `CDS_LOG_FORMAT`, default json: one JSON object a line; `text` for a terminal.
    public var logFormat: LogFormat = .json

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

    /// - Throws: ``ConfigurationError`` listing every value that cannot be used.
    public init(_ source: ConfigurationSource) throws(ConfigurationError) {
        var reader = SettingsReader(source)
        self.init(database: Self.database(&reader))
        if let address = reader.value(.httpAddress, expected: "host:port (e.g. 127.0.0.1:8080)", Address.init) { httpAddress = address }
        if let address = reader.value(.grpcAddress, expected: "host:port (e.g. 127.0.0.1:8443)", Address.init) { grpcAddress = address }
        if let address = reader.value(.metricsAddress, expected: "host:port (e.g. 127.0.0.1:9464)", Address.init) { metricsAddress = address }
        syncTLS = Self.syncTLS(&reader)
        // The development CA's key sits beside its certificates: anyone who reads the data directory could mint a
        // client. Such material may serve this machine only.
        if syncTLS == nil, !grpcAddress.isLoopback {
            reader.report(
                .grpcAddress,
                "is \(grpcAddress), not a loopback address: set CDS_TLS_CERT, CDS_TLS_KEY and CDS_TLS_CLIENT_CA (the development certificates made without them serve 127.0.0.1 and ::1 only)"
            )
        }
        if let bytes = reader.integer(.grpcMaximumMessageBytes, in: 1024...(256 << 20), unit: "bytes") { syncLimits.maximumMessageBytes = bytes }
        if let records = reader.integer(.grpcMaximumRecordsPerPush, in: 1...100_000_000, unit: "records") {
            syncLimits.maximumRecordsPerPush = records
        }
        if let streams = reader.integer(.grpcMaximumConcurrentStreams, in: 1...1000, unit: "streams") {
            syncLimits.maximumConcurrentStreams = streams
        }
        if let seconds = reader.integer(.grpcPushSilenceTimeout, in: 1...3600, unit: "seconds") {
            syncLimits.pushSilenceTimeout = .seconds(seconds)
        }
        if let skips = reader.flag(.grpcPushSkipUnchanged) { syncLimits.skipsUnchangedRecords = skips }
        if let perMinute = reader.integer(.rateLimit, in: 0...1_000_000, unit: "requests per minute per token (0: no limit)") {
            rateLimit = perMinute == 0 ? nil : RateLimit(perMinute: perMinute)
        }
        if let perMinute = reader.integer(.publicRateLimit, in: 0...1_000_000, unit: "requests per minute per client address (0: no limit)") {
            publicTraffic.perAddress = perMinute == 0 ? nil : RateLimit(perMinute: perMinute)
        }
        if let proxies = reader.value(
            .trustedProxies,
            expected: "addresses or networks, comma-separated (e.g. 10.0.0.5,10.1.0.0/16)",
            TrustedProxies.init(list:)
        ) {
            publicTraffic.trustedProxies = proxies
        }
        publicTraffic.databaseShare = max(1, (database.poolSize ?? DatabaseSettings.defaultPoolSize) / 4)
        if let allow = reader.flag(.webhookAllowLoopback) { webhooks.allowLoopback = allow }
        if let hours = reader.integer(.webhookRetryHours, in: 1...720, unit: "hours") { webhooks.retryFor = TimeInterval(hours * 3600) }
        if let seconds = reader.integer(.shutdownTimeout, in: 1...3600, unit: "seconds") { shutdownTimeout = .seconds(seconds) }
        if let level = reader.value(.logLevel, expected: "trace, debug, info, notice, warning, error or critical", { Logger.Level(rawValue: $0) }) {
            logLevel = level
        }
        if let format = reader.value(.logFormat, expected: "json or text", { LogFormat(rawValue: $0) }) { logFormat = format }
        guard reader.problems.isEmpty else { throw ConfigurationError(reader.problems) }
    }

    /// The environment alone, as tests and tools set it.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigurationError) -> Self {
        try Self(ConfigurationSource(environment: environment))
    }

    private static func database(_ reader: inout SettingsReader) -> DatabaseSettings {
        let url = reader.value(.databaseURL, expected: "a postgres:// URL", Self.checkedDatabaseURL)
        let ownerURL = reader.value(.databaseOwnerURL, expected: "a postgres:// URL", Self.checkedDatabaseURL)
        var settings = DatabaseSettings(
            databaseURL: url,
            ownerURL: ownerURL,
            dataDirectory: URL(fileURLWithPath: reader.text(.dataDirectory) ?? ".cds")
        )
        if ownerURL != nil && reader.text(.databaseURL) == nil {
            reader.report(.databaseOwnerURL, "is set without CDS_DATABASE_URL; the embedded cluster has its own owner")
        }
        settings.poolSize = reader.integer(.databasePoolSize, in: 1...1000, unit: "connections")
        settings.preparedStatements = reader.flag(.databasePreparedStatements) ?? true
        if let seconds = reader.integer(.databaseAcquireTimeout, in: 1...300, unit: "seconds") { settings.acquireTimeout = .seconds(seconds) }
        if let engine = reader.value(.databaseEngine, expected: "postgresql or citus", { DatabaseEngine(rawValue: $0) }) {
            settings.engine = engine
        }
        return settings
    }

    /// The URL when it parses, so that a mistyped URL stops the start instead of the first connection.
    private static func checkedDatabaseURL(_ text: String) -> String? {
        (try? DatabaseEndpoint(url: text)) != nil ? text : nil
    }

    private static func syncTLS(_ reader: inout SettingsReader) -> SyncTLSFiles? {
        let settings: [ServerSetting] = [.tlsCertificate, .tlsKey, .tlsClientCA]
        let paths = settings.map { reader.text($0) }
        if paths.allSatisfy({ $0 == nil }) { return nil }
        for (setting, path) in zip(settings, paths) {
            if let path, !FileManager.default.isReadableFile(atPath: path) {
                reader.report(setting, "names \(path), which cannot be read")
            } else if path == nil {
                reader.report(setting, "is missing: set all of CDS_TLS_CERT, CDS_TLS_KEY and CDS_TLS_CLIENT_CA, or none of them")
            }
        }
        guard let certificate = paths[0], let key = paths[1], let clientCA = paths[2] else { return nil }
        return SyncTLSFiles(certificate: URL(fileURLWithPath: certificate), key: URL(fileURLWithPath: key), clientCA: URL(fileURLWithPath: clientCA))
    }
}
