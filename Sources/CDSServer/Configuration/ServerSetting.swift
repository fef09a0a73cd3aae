/// Every setting of `cds-server`: the names operators set in the environment or in the `--config` file, with their
/// defaults. README's table lists exactly these (a test checks); a file naming anything else is refused.
public enum ServerSetting: String, CaseIterable, Sendable {
    case databaseURL = "CDS_DATABASE_URL"
    case databaseOwnerURL = "CDS_DATABASE_OWNER_URL"
    case dataDirectory = "CDS_DATA_DIR"
    case databasePoolSize = "CDS_DATABASE_POOL_SIZE"
    case databasePreparedStatements = "CDS_DATABASE_PREPARED_STATEMENTS"
    case databaseAcquireTimeout = "CDS_DATABASE_ACQUIRE_TIMEOUT"
    case databaseEngine = "CDS_DATABASE_ENGINE"
    case httpAddress = "CDS_HTTP_ADDR"
    case metricsAddress = "CDS_METRICS_ADDR"
    case grpcAddress = "CDS_GRPC_ADDR"
    case tlsCertificate = "CDS_TLS_CERT"
    case tlsKey = "CDS_TLS_KEY"
    case tlsClientCA = "CDS_TLS_CLIENT_CA"
    case grpcMaximumMessageBytes = "CDS_GRPC_MAX_MESSAGE_BYTES"
    case grpcMaximumRecordsPerPush = "CDS_GRPC_MAX_RECORDS_PER_PUSH"
    case grpcMaximumConcurrentStreams = "CDS_GRPC_MAX_CONCURRENT_STREAMS"
    case grpcPushSilenceTimeout = "CDS_GRPC_PUSH_SILENCE_TIMEOUT"
    case grpcPushSkipUnchanged = "CDS_GRPC_PUSH_SKIP_UNCHANGED"
    case rateLimit = "CDS_RATE_LIMIT"
    case publicRateLimit = "CDS_PUBLIC_RATE_LIMIT"
    case trustedProxies = "CDS_TRUSTED_PROXIES"
    case webhookAllowLoopback = "CDS_WEBHOOK_ALLOW_LOOPBACK"
    case webhookRetryHours = "CDS_WEBHOOK_RETRY_HOURS"
    case shutdownTimeout = "CDS_SHUTDOWN_TIMEOUT"
    case logLevel = "CDS_LOG_LEVEL"
    case logFormat = "CDS_LOG_FORMAT"

    public var name: String { rawValue }
}
