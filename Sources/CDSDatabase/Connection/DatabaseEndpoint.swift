import Foundation
import NIOCore
import NIOSSL
import PostgresNIO

/// Where a database is and who connects to it: one libpq-style URL, parsed.
///
/// `postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=MODE&sslrootcert=FILE`, with libpq's meaning of `sslmode`:
/// `disable` (plain), `allow` and `prefer` (TLS when the server offers it, plain otherwise; the default), `require`
/// (TLS, the server's certificate not checked), `verify-ca` (TLS, the certificate chains to `sslrootcert`) and
/// `verify-full` (as `verify-ca`, and it names the host). Unlike libpq, the verifying modes need `sslrootcert`: the
/// file of the CA to trust, or `system` for the system's roots — there is no implicit `~/.postgresql/root.crt`.
public struct DatabaseEndpoint: Hashable, Sendable, CustomStringConvertible {
    public enum TLSMode: String, Hashable, Sendable {
        case disable, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"

        var verifies: Bool { self == .verifyCA || self == .verifyFull }
    }

    public var host: String
    public var port: Int
    public var database: String
    public var username: String
    public var password: String?
    public var tlsMode: TLSMode
    /// `sslrootcert`: the PEM file of the CAs that the server's certificate must chain to in the verifying modes, or
    /// `system`.
    public var rootCertificates: String?
    /// The most connections a pool on this endpoint opens; nil: PostgresNIO's default (20). The test suite keeps its
    /// many small pools smaller, so that the tests running at once do not queue for the server's connections.
    public var maximumConnections: Int?
    /// Whether the statements every request runs go as named prepared statements (parsed once per connection).
    /// Off for a pooler in transaction mode that cannot keep them (pgbouncer before 1.21): each is sent unnamed.
    public var usesPreparedStatements = true
    /// How long a request waits for a pooled connection before it fails as ``DatabaseError/Code/unavailable``
    /// (HTTP 503): the pool itself would wait a minute for a database that is down.
    public var acquireTimeout: Duration = .seconds(5)
    /// The server's engine, which decides the form of the list pages.
    public var engine = DatabaseEngine.postgresql
    /// How long connecting (TCP and authentication) may take: long enough for a server busy on two cores, short
    /// enough that a wrong host fails at start instead of hanging.
    public var connectTimeout: Duration = .seconds(15)

    public init(host: String, port: Int, database: String, username: String, password: String?, tlsMode: TLSMode = .disable) {
        self.host = host
        self.port = port
        self.database = database
        self.username = username
        self.password = password
        self.tlsMode = tlsMode
    }

    /// Parses a `postgres://` or `postgresql://` URL.
    /// - Throws: ``DatabaseError/invalidURL`` naming what is missing or wrong.
    public init(url text: String) throws(DatabaseError) {
        guard let components = URLComponents(string: text),
            let scheme = components.scheme, ["postgres", "postgresql"].contains(scheme)
        else {
            throw DatabaseError(.invalidURL, "not a PostgreSQL URL (expected postgres://user:password@host:port/database)")
        }
        guard let host = components.host, !host.isEmpty else {
            throw DatabaseError(.invalidURL, "the URL names no host")
        }
        guard let user = components.user, !user.isEmpty else {
            throw DatabaseError(.invalidURL, "the URL names no user")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        let sslmode = components.queryItems?.first(where: { $0.name == "sslmode" })?.value ?? "prefer"
        guard let tlsMode = sslmode == "allow" ? .prefer : TLSMode(rawValue: sslmode) else {
            throw DatabaseError(.invalidURL, "unknown sslmode '\(sslmode)' (disable, allow, prefer, require, verify-ca or verify-full)")
        }
        let rootCertificates = components.queryItems?.first(where: { $0.name == "sslrootcert" })?.value
        if tlsMode.verifies, rootCertificates?.isEmpty ?? true {
            throw DatabaseError(.invalidURL, "sslmode=\(sslmode) needs sslrootcert: the CA file to trust, or system")
        }
        self.init(
            host: host,
            port: components.port ?? 5432,
            database: database.isEmpty ? user : (database.removingPercentEncoding ?? database),
            username: user.removingPercentEncoding ?? user,
            password: components.password?.removingPercentEncoding,
            tlsMode: tlsMode
        )
        self.rootCertificates = rootCertificates
    }

    /// The same endpoint with another database or user.
    public func with(database: String? = nil, username: String? = nil, password: String?? = nil) -> Self {
        var copy = self
        if let database { copy.database = database }
        if let username { copy.username = username }
        if let password { copy.password = password }
        return copy
    }

    /// A libpq URL, password included, that `psql` accepts.
    public var url: String {
        var components = URLComponents()
        components.scheme = "postgres"
        components.host = host
        components.port = port
        components.user = username
        components.password = password
        components.path = "/" + database
        components.queryItems = [URLQueryItem(name: "sslmode", value: tlsMode.rawValue)]
        if let rootCertificates { components.queryItems?.append(URLQueryItem(name: "sslrootcert", value: rootCertificates)) }
        return components.string ?? ""
    }

    /// The URL with the password masked, for logs and messages.
    public var description: String {
        with(password: password == nil ? .some(nil) : "****").url.replacingOccurrences(of: "%2A%2A%2A%2A", with: "****")
    }

    /// NIO's TLS settings for `sslmode`: no check of the server's certificate in `prefer` and `require` (as libpq), the
    /// chain in `verify-ca`, the chain and the host name in `verify-full`.
    var tlsConfiguration: TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch tlsMode {
        case .disable, .prefer, .require: tls.certificateVerification = .none
        case .verifyCA: tls.certificateVerification = .noHostnameVerification
        case .verifyFull: tls.certificateVerification = .fullVerification
        }
        if let rootCertificates, rootCertificates != "system" { tls.trustRoots = .file(rootCertificates) }
        return tls
    }

    var clientConfiguration: PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS
        switch tlsMode {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(tlsConfiguration)
        case .require, .verifyCA, .verifyFull: tls = .require(tlsConfiguration)
        }
        var configuration = PostgresClient.Configuration(
            host: host,
            port: port,
            username: username,
            password: password,
            database: database,
            tls: tls
        )
        configuration.options.connectTimeout = connectTimeout
        if let maximumConnections { configuration.options.maximumConnections = maximumConnections }
        return configuration
    }

    package func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        switch tlsMode {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(try .init(configuration: tlsConfiguration))
        case .require, .verifyCA, .verifyFull: tls = .require(try .init(configuration: tlsConfiguration))
        }
        var configuration = PostgresConnection.Configuration(
            host: host,
            port: port,
            username: username,
            password: password,
            database: database,
            tls: tls
        )
        configuration.options.connectTimeout = TimeAmount(connectTimeout)
        return configuration
    }
}
