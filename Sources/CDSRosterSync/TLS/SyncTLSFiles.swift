import Foundation

/// The PEM files of the roster sync's mutual TLS: the server's certificate chain and key, and the one CA that
/// client certificates must chain to (never the system trust store).
public struct SyncTLSFiles: Hashable, Sendable {
    public var certificate: URL
    public var key: URL
    public var clientCA: URL

    public init(certificate: URL, key: URL, clientCA: URL) {
        self.certificate = certificate
        self.key = key
        self.clientCA = clientCA
    }

    /// The development material's files.
    public init(development: DevelopmentCertificates) {
        self.init(certificate: development.serverCertificate, key: development.serverKey, clientCA: development.caCertificate)
    }

    /// The three files' contents.
    /// - Throws: ``SyncTLSError`` naming a file that cannot be read.
    func contents() throws -> (certificate: [UInt8], key: [UInt8], clientCA: [UInt8]) {
        func read(_ url: URL, _ what: String) throws -> [UInt8] {
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw SyncTLSError("cannot read the \(what) \(url.path)")
            }
            return Array(data)
        }
        return (try read(certificate, "TLS certificate"), try read(key, "TLS key"), try read(clientCA, "client CA"))
    }
}

/// TLS settings that cannot be used, with what to do.
public struct SyncTLSError: Error, Hashable, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
