import Crypto
import Foundation
import SwiftASN1
import X509

/// The development material of the roster sync's mutual TLS, written to `CDS_DATA_DIR/tls/` on first start when no
/// production certificates are configured: a CA, a server pair valid for `localhost` and `127.0.0.1`, and one
/// client pair (registered as the sync client `dev-province`). Never for production: the CA's key sits beside it.
public struct DevelopmentCertificates: Sendable {
    public let directory: URL

    public var caCertificate: URL { directory.appendingPathComponent("ca.pem") }
    public var caKey: URL { directory.appendingPathComponent("ca-key.pem") }
    public var serverCertificate: URL { directory.appendingPathComponent("server.pem") }
    public var serverKey: URL { directory.appendingPathComponent("server-key.pem") }
    public var clientCertificate: URL { directory.appendingPathComponent("client.pem") }
    public var clientKey: URL { directory.appendingPathComponent("client-key.pem") }

    /// The development client's registered name.
    public static let clientName = "dev-province"

    public init(directory: URL) {
        self.directory = directory
    }

    /// The SHA-256 fingerprint of the development client's certificate, as its registration needs it.
    public func clientFingerprint() throws -> Data {
        try Certificate(pemEncoded: String(contentsOf: clientCertificate, encoding: .utf8)).sha256Fingerprint()
    }

    /// The material in `directory`, made there first if any file is missing (all of it again, so that the pairs
    /// always come from the CA beside them). Keys are written 0600, the directory 0700.
    public static func ensure(in directory: URL) throws -> DevelopmentCertificates {
        let material = DevelopmentCertificates(directory: directory)
        let files = [
            material.caCertificate, material.caKey, material.serverCertificate, material.serverKey, material.clientCertificate,
            material.clientKey,
        ]
        if files.allSatisfy({ FileManager.default.fileExists(atPath: $0.path) }) { return material }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let authority = try CertificateAuthority(name: "cds roster sync development CA")
        let server = try authority.issue(commonName: "localhost", usage: .serverAuth, names: [.dnsName("localhost"), .ipAddress([127, 0, 0, 1])])
        let client = try authority.issue(commonName: clientName, usage: .clientAuth, names: [])
        try write(authority.certificate, authority.key, to: material.caCertificate, material.caKey)
        try write(server.certificate, server.key, to: material.serverCertificate, material.serverKey)
        try write(client.certificate, client.key, to: material.clientCertificate, material.clientKey)
        return material
    }

    private static func write(_ certificate: Certificate, _ key: P256.Signing.PrivateKey, to certificateFile: URL, _ keyFile: URL) throws {
        try Data(certificate.serializeAsPEM().pemString.utf8).write(to: certificateFile, options: .atomic)
        try Data(key.pemRepresentation.utf8).write(to: keyFile, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: certificateFile.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyFile.path)
    }
}

/// A certificate authority that signs certificate pairs: the development CA, and the tests' foreign one.
public struct CertificateAuthority: Sendable {
    public enum Usage: Sendable {
        case serverAuth, clientAuth
    }

    /// A subject alternative name.
    public enum Name: Sendable {
        case dnsName(String)
        case ipAddress([UInt8])
    }

    public let certificate: Certificate
    public let key: P256.Signing.PrivateKey

    public init(name: String) throws {
        let key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName { CommonName(name) }
        let now = Date()
        self.key = key
        certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3600),
            notValidAfter: now.addingTimeInterval(10 * 365 * 86_400),
            issuer: subject,
            subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(keyIdentifier: ArraySlice(SHA256.hash(data: key.publicKey.derRepresentation).prefix(20)))
            },
            issuerPrivateKey: .init(key)
        )
    }

    /// The authority whose certificate and key these PEM texts hold (the development CA, to issue more pairs).
    public init(certificatePEM: String, keyPEM: String) throws {
        certificate = try Certificate(pemEncoded: certificatePEM)
        key = try P256.Signing.PrivateKey(pemRepresentation: keyPEM)
    }

    /// ``issue(commonName:usage:names:)`` as PEM: the certificate, then the key.
    public func issuePEM(commonName: String, usage: Usage, names: [Name]) throws -> (certificate: [UInt8], key: [UInt8]) {
        let (certificate, key) = try issue(commonName: commonName, usage: usage, names: names)
        return (Array(try certificate.serializeAsPEM().pemString.utf8), Array(key.pemRepresentation.utf8))
    }

    /// A new key pair and its certificate, valid for two years, signed by this authority.
    public func issue(commonName: String, usage: Usage, names: [Name]) throws -> (certificate: Certificate, key: P256.Signing.PrivateKey) {
        let leafKey = P256.Signing.PrivateKey()
        let now = Date()
        let leaf = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: .init(leafKey.publicKey),
            notValidBefore: now.addingTimeInterval(-3600),
            notValidAfter: now.addingTimeInterval(2 * 365 * 86_400),
            issuer: certificate.subject,
            subject: try DistinguishedName { CommonName(commonName) },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([usage == .serverAuth ? .serverAuth : .clientAuth])
                if let identifier = try certificate.extensions.subjectKeyIdentifier {
                    AuthorityKeyIdentifier(keyIdentifier: identifier.keyIdentifier)
                }
                if !names.isEmpty {
                    SubjectAlternativeNames(
                        names.map { name in
                            switch name {
                            case .dnsName(let dns): GeneralName.dnsName(dns)
                            case .ipAddress(let bytes): GeneralName.ipAddress(ASN1OctetString(contentBytes: ArraySlice(bytes)))
                            }
                        }
                    )
                }
            },
            issuerPrivateKey: .init(key)
        )
        return (leaf, leafKey)
    }
}
