import CDSDatabase

extension ServerConfiguration {
    /// The effective configuration as `NAME=value` lines, each with where its value came from, passwords masked: what
    /// `cds-server --print-config` shows. The lines are those of a `--config` file.
    public func listing(source: ConfigurationSource) -> String {
        ServerSetting.allCases.map { setting in
            let origin = source.entries[setting].map { "\($0.origin)" } ?? "default"
            return "\(setting.name)=\(effectiveText(of: setting))  # \(origin)"
        }.joined(separator: "\n")
    }

    /// The value in use, rendered from the parsed configuration (not echoed from the input).
    func effectiveText(of setting: ServerSetting) -> String {
        switch setting {
        case .databaseURL: database.databaseURL.map(Self.masked) ?? ""
        case .databaseOwnerURL: database.ownerURL.map(Self.masked) ?? ""
        case .dataDirectory: database.dataDirectory.standardizedFileURL.path
        case .databasePoolSize: String(database.poolSize ?? DatabaseSettings.defaultPoolSize)
        case .databasePreparedStatements: String(database.preparedStatements)
        case .databaseAcquireTimeout: String(database.acquireTimeout.components.seconds)
        case .databaseEngine: database.engine.rawValue
        case .httpAddress: httpAddress.description
        case .metricsAddress: metricsAddress.description
        case .grpcAddress: grpcAddress.description
        case .tlsCertificate: syncTLS?.certificate.path ?? ""
        case .tlsKey: syncTLS?.key.path ?? ""
        case .tlsClientCA: syncTLS?.clientCA.path ?? ""
        case .grpcMaximumMessageBytes: String(syncLimits.maximumMessageBytes)
        case .grpcMaximumRecordsPerPush: String(syncLimits.maximumRecordsPerPush)
        case .grpcMaximumConcurrentStreams: String(syncLimits.maximumConcurrentStreams)
        case .grpcPushSilenceTimeout: String(syncLimits.pushSilenceTimeout.components.seconds)
        case .grpcPushSkipUnchanged: String(syncLimits.skipsUnchangedRecords)
        case .rateLimit: String(rateLimit?.perMinute ?? 0)
        case .publicRateLimit: String(publicTraffic.perAddress?.perMinute ?? 0)
        case .trustedProxies: publicTraffic.trustedProxies.description
        case .webhookAllowLoopback: String(webhooks.allowLoopback)
        case .webhookRetryHours: String(Int(webhooks.retryFor / 3600))
        case .shutdownTimeout: String(shutdownTimeout.components.seconds)
        case .logLevel: logLevel.rawValue
        case .logFormat: logFormat.rawValue
        }
    }

    /// A database URL with its password replaced by `****`.
    static func masked(_ url: String) -> String {
        (try? DatabaseEndpoint(url: url))?.description ?? "****"
    }
}
