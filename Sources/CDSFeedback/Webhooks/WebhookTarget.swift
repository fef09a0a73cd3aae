import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Where a webhook may go: an https URL whose host resolves only to public addresses — a partner must not make the
/// server call into its own network. Refused: loopback, private (RFC 1918, unique local), link-local, unspecified,
/// CGNAT, benchmarking, IETF protocol assignments, documentation, multicast and reserved addresses, and every
/// IPv6 form that carries an IPv4 address inside (mapped, compatible, NAT64, 6to4, Teredo). For development,
/// `allowLoopback` lets loopback and plain http through (private addresses stay refused).
///
/// The host is resolved once: the delivery connects to an address that was checked (``Checked/address``), keeping the
/// host name for SNI and `Host`, so that a DNS answer that changes between the check and the connection (DNS
/// rebinding) cannot lead it inside.
public enum WebhookTarget {
    public enum Refusal: Error, Hashable, Sendable, CustomStringConvertible {
        case malformed(String)
        case plainHTTP(String)
        case unresolvable(String)
        case notPublic(host: String, address: String)

        public var description: String {
            switch self {
            case .malformed(let url): "'\(url)' is not an https URL with a host"
            case .plainHTTP(let url): "'\(url)' is plain http: webhooks go over https"
            case .unresolvable(let host): "\(host) does not resolve"
            case .notPublic(let host, let address): "\(host) resolves to \(address), which is not a public address"
            }
        }
    }

    /// A target that passed: its host, and the address to connect to.
    public struct Checked: Hashable, Sendable {
        public let host: String
        public let address: String

        public init(host: String, address: String) {
            self.host = host
            self.address = address
        }
    }

    /// Resolves a host name to every address it has.
    public typealias Resolver = @Sendable (String) -> [Address]

    /// Checks `url` now: its form, and every address its host resolves to.
    /// - Returns: the first address, to connect to.
    @discardableResult
    public static func check(_ url: String, allowLoopback: Bool, resolver: Resolver = resolve) throws(Refusal) -> Checked {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), scheme == "https" || scheme == "http",
            let host = parsed.host, !host.isEmpty
        else { throw .malformed(url) }
        guard scheme == "https" || allowLoopback else { throw .plainHTTP(url) }
        let addresses = resolver(host)
        guard let first = addresses.first else { throw .unresolvable(host) }
        for address in addresses {
            if address.isLoopback && allowLoopback { continue }
            guard address.isPublic else { throw .notPublic(host: host, address: address.text) }
        }
        return Checked(host: host, address: first.text)
    }

    public struct Address: Hashable, Sendable {
        /// 4 bytes (IPv4) or 16 (IPv6), in network order.
        public let bytes: [UInt8]
        public let text: String

        public init(bytes: [UInt8], text: String) {
            self.bytes = bytes
            self.text = text
        }

        var isLoopback: Bool { bytes.count == 4 ? bytes[0] == 127 : bytes == Array(repeating: 0, count: 15) + [1] }

        var isPublic: Bool {
            if bytes.count == 4 { return Self.isPublicIPv4(bytes) }
            guard bytes.count == 16 else { return false }
            let (a, b) = (bytes[0], bytes[1])
            let carriesIPv4 =
                bytes[0..<10].allSatisfy { $0 == 0 } && (bytes[10...11] == [0xFF, 0xFF] || bytes[10...11] == [0, 0])  // mapped, compatible
                || bytes[0..<12] == [0, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0]  // NAT64, 64:ff9b::/96
                || (a == 0 && b == 0x64 && bytes[2...3] == [0xFF, 0x9B])  // local-use NAT64, 64:ff9b:1::/48
                || (a == 0x20 && b == 0x02)  // 6to4, 2002::/16
            let special =
                a == 0xFF  // multicast
                || a & 0xFE == 0xFC  // unique local, fc00::/7
                || (a == 0xFE && b & 0xC0 == 0x80)  // link-local, fe80::/10
                || (a == 0xFE && b & 0xC0 == 0xC0)  // site-local (deprecated), fec0::/10
                || (a == 0x20 && b == 0x01 && bytes[2] < 0x02)  // IETF protocol assignments (Teredo among them), 2001::/23
                || (a == 0x20 && b == 0x01 && bytes[2...3] == [0x0D, 0xB8])  // documentation, 2001:db8::/32
                || (a == 0x01 && b == 0x00 && bytes[2..<8].allSatisfy { $0 == 0 })  // discard, 100::/64
                || a & 0xE0 != 0x20  // outside 2000::/3, the global unicast space
            return !carriesIPv4 && !special
        }

        private static func isPublicIPv4(_ bytes: [UInt8]) -> Bool {
            let (a, b, c) = (bytes[0], bytes[1], bytes[2])
            return
                !(a == 0 || a == 10 || a == 127  // this network, private, loopback
                || (a == 169 && b == 254)  // link-local
                || (a == 172 && (16...31).contains(b)) || (a == 192 && b == 168)  // private
                || (a == 100 && (64...127).contains(b))  // CGNAT
                || (a == 192 && b == 0 && c == 0)  // IETF protocol assignments, 192.0.0.0/24
                || (a == 192 && b == 0 && c == 2) || (a == 198 && b == 51 && c == 100) || (a == 203 && b == 0 && c == 113)  // documentation
                || (a == 198 && (b == 18 || b == 19))  // benchmarking, 198.18.0.0/15
                || (a == 192 && b == 88 && c == 99)  // 6to4 relay anycast
                || a >= 224)  // multicast, reserved, broadcast
        }
    }

    /// The system's resolver (getaddrinfo): every IPv4 and IPv6 address of `host`.
    @Sendable public static func resolve(_ host: String) -> [Address] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &result) == 0, let first = result else { return [] }
        defer { freeaddrinfo(first) }
        var addresses: [Address] = []
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let current = entry {
            if let socketAddress = current.pointee.ai_addr {
                switch Int32(current.pointee.ai_family) {
                case AF_INET:
                    var address = socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
                    let bytes = withUnsafeBytes(of: &address) { Array($0) }
                    addresses.append(Address(bytes: bytes, text: bytes.map(String.init).joined(separator: ".")))
                case AF_INET6:
                    var address = socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
                    let bytes = withUnsafeBytes(of: &address) { Array($0) }
                    var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
                    inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count))
                    addresses.append(Address(bytes: bytes, text: buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }))
                default: break
                }
            }
            entry = current.pointee.ai_next
        }
        return addresses
    }
}
