import Foundation

/// The proxies (load balancers) in front of the server whose `X-Forwarded-For` is believed: `CDS_TRUSTED_PROXIES`,
/// addresses or networks (`10.0.0.5`, `10.0.0.0/24`, `fd00::/8`). A request from anywhere else is counted by the
/// address of its connection, whatever it claims to be forwarded for.
public struct TrustedProxies: Hashable, Sendable, CustomStringConvertible {
    package struct Network: Hashable, Sendable {
        let prefix: [UInt8]
        let length: Int

        func contains(_ address: ClientAddress) -> Bool {
            guard address.bytes.count == prefix.count else { return false }
            let whole = length / 8
            guard address.bytes[..<whole] == prefix[..<whole] else { return false }
            let rest = length % 8
            guard rest > 0 else { return true }
            let mask = UInt8(0xFF) << (8 - rest)
            return address.bytes[whole] & mask == prefix[whole] & mask
        }
    }

    package let networks: [Network]

    public static let none = TrustedProxies(networks: [])

    package init(networks: [Network]) {
        self.networks = networks
    }

    /// Parses a comma-separated list of addresses and networks; nil when one of them is neither.
    public init?(list: String) {
        var networks: [Network] = []
        for item in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
            let parts = item.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            guard let address = ClientAddress(parts[0]) else { return nil }
            let bits = address.bytes.count * 8
            let length = parts.count == 2 ? Int(parts[1]) : bits
            guard let length, (0...bits).contains(length) else { return nil }
            networks.append(Network(prefix: address.bytes, length: length))
        }
        self.init(networks: networks)
    }

    /// The client a request is from: its peer, unless the peer is a trusted proxy; then the address the proxies
    /// forwarded, read from the right of `X-Forwarded-For` (the end that trusted proxies wrote) up to the first address
    /// that is not one of them. A value that does not parse stops the walk at the last address known good.
    public func client(peer: ClientAddress?, forwardedFor: [String]) -> ClientAddress? {
        guard var client = peer, contains(client) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        for hop in hops.reversed() {
            guard let address = ClientAddress(hop) else { return client }
            client = address
            if !contains(address) { return address }
        }
        return client
    }

    package func contains(_ address: ClientAddress) -> Bool {
        networks.contains { $0.contains(address) }
    }

    /// The list as `CDS_TRUSTED_PROXIES` takes it.
    public var description: String {
        networks.map { "\(ClientAddress(bytes: $0.prefix))/\($0.length)" }.joined(separator: ",")
    }
}
