import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Where a webhook may go: an http(s) URL whose host resolves only to public addresses. Loopback, private
/// (RFC 1918, unique local), link-local, unspecified and CGNAT addresses are refused — a partner must not make the
/// server call into its own network — unless loopback is allowed for development.
public enum WebhookTarget {
    public enum Refusal: Error, Hashable, Sendable, CustomStringConvertible {
        case malformed(String)
        case unresolvable(String)
        case notPublic(host: String, address: String)

        public var description: String {
            switch self {
            case .malformed(let url): "'\(url)' is not an http or https URL with a host"
            case .unresolvable(let host): "\(host) does not resolve"
            case .notPublic(let host, let address): "\(host) resolves to \(address), which is not a public address"
            }
        }
    }

    /// Checks `url` now: its form, and every address its host resolves to.
    public static func check(_ url: String, allowLoopback: Bool) throws(Refusal) {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), scheme == "https" || scheme == "http",
            let host = parsed.host, !host.isEmpty
        else { throw .malformed(url) }
        let addresses = resolve(host)
        guard !addresses.isEmpty else { throw .unresolvable(host) }
        for address in addresses {
            if address.isLoopback && allowLoopback { continue }
            guard address.isPublic else { throw .notPublic(host: host, address: address.text) }
        }
    }

    struct Address {
        let bytes: [UInt8]
        let text: String

        var isLoopback: Bool { bytes.count == 4 ? bytes[0] == 127 : bytes == Array(repeating: 0, count: 15) + [1] }

        var isPublic: Bool {
            if bytes.count == 4 {
                let (a, b) = (bytes[0], bytes[1])
                return
                    !(a == 0 || a == 10 || a == 127 || (a == 169 && b == 254) || (a == 172 && (16...31).contains(b))
                    || (a == 192 && b == 168) || (a == 100 && (64...127).contains(b)) || a >= 224)
            }
            if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF {
                return Address(bytes: Array(bytes[12...]), text: text).isPublic  // IPv4-mapped
            }
            return
                !(bytes.allSatisfy { $0 == 0 } || isLoopback || bytes[0] & 0xFE == 0xFC || (bytes[0] == 0xFE && bytes[1] & 0xC0 == 0x80)
                || bytes[0] == 0xFF)
        }
    }

    static func resolve(_ host: String) -> [Address] {
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
                    addresses.append(Address(bytes: bytes, text: String(cString: buffer)))
                default: break
                }
            }
            entry = current.pointee.ai_next
        }
        return addresses
    }
}
