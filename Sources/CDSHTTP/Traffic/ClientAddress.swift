import Foundation
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// The address of the client a request is from: the peer of the connection, or the address a trusted proxy
/// forwarded (``TrustedProxies``). What the per-address limits of ``PublicTraffic`` count by.
public struct ClientAddress: Hashable, Sendable, CustomStringConvertible {
    /// 4 bytes (IPv4) or 16 (IPv6), in network order; an IPv4-mapped IPv6 address is kept as its IPv4 address.
    public let bytes: [UInt8]

    /// Parses an IPv4 or IPv6 address in text (no port, no brackets); nil for anything else.
    public init?(_ text: some StringProtocol) {
        var v4 = in_addr()
        var v6 = in6_addr()
        let text = String(text)
        if inet_pton(AF_INET, text, &v4) == 1 {
            self.init(bytes: withUnsafeBytes(of: &v4) { Array($0) })
        } else if inet_pton(AF_INET6, text, &v6) == 1 {
            self.init(bytes: withUnsafeBytes(of: &v6) { Array($0) })
        } else {
            return nil
        }
    }

    /// The address of a connection's peer; nil for a Unix socket or none.
    public init?(_ peer: SocketAddress?) {
        guard let text = peer?.ipAddress else { return nil }
        self.init(text)
    }

    package init(bytes: [UInt8]) {
        let mapped = bytes.count == 16 && bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF
        self.bytes = mapped ? Array(bytes[12...]) : bytes
    }

    /// What a limit counts by: the address itself for IPv4, its /64 for IPv6 — one subscriber's network holds a whole
    /// /64, and counting single addresses there would let a client take a fresh one for every request.
    package var limitKey: Data { Data(bytes.count == 16 ? bytes[0..<8] : bytes[...]) }

    public var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = bytes.count == 4 ? AF_INET : AF_INET6
        _ = bytes.withUnsafeBytes { inet_ntop(family, $0.baseAddress, &buffer, socklen_t(buffer.count)) }
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}
