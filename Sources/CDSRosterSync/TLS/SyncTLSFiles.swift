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

    /// `CDS_TLS_CERT`, `CDS_TLS_KEY` and `CDS_TLS_CLIENT_CA`: all three, or none (then `nil`, and the server uses
    /// development material).
    /// - Throws: a message naming what is missing when only some are set.
    public static func fromEnvironment(_ environment: [String: String]) throws -> SyncTLSFiles? {
        let names = ["CDS_TLS_CERT", "CDS_TLS_KEY", "CDS_TLS_CLIENT_CA"]
        let values = names.map { environment[$0].flatMap { $0.isEmpty ? nil : $0 } }
        if values.allSatisfy({ $0 == nil }) { return nil }
        let missing = zip(names, values).filter { $0.1 == nil }.map(\.0)
        guard missing.isEmpty else {
            throw SyncTLSError(
                "set all of CDS_TLS_CERT, CDS_TLS_KEY and CDS_TLS_CLIENT_CA, or none of them; \(missing.joined(separator: ", ")) is missing"
            )
        }
        return SyncTLSFiles(
            certificate: URL(fileURLWithPath: values[0]!),
            key: URL(fileURLWithPath: values[1]!),
            clientCA: URL(fileURLWithPath: values[2]!)
        )
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
