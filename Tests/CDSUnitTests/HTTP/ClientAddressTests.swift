import CDSHTTP
import Testing

/// Who a request is from: the peer, or what trusted proxies forwarded; and what a per-address limit counts by.
@Suite struct ClientAddressTests {
    @Test func theClientIsTheAddressLeftOfTheTrustedProxies() throws {
        let proxies = try #require(TrustedProxies(list: "10.0.0.0/8, 2001:db8:1::/48"))
        let proxy = ClientAddress("10.0.0.5")
        let client = { (peer: ClientAddress?, forwarded: [String]) in proxies.client(peer: peer, forwardedFor: forwarded)?.description }
        #expect(client(ClientAddress("203.0.113.9"), ["198.51.100.1"]) == "203.0.113.9")  // not a proxy: its own address
        #expect(client(proxy, ["198.51.100.1, 203.0.113.9, 10.0.0.2"]) == "203.0.113.9")  // the spoofed first hop is ignored
        #expect(client(proxy, ["198.51.100.1", "203.0.113.9"]) == "203.0.113.9")  // several header lines
        #expect(client(proxy, ["not-an-address"]) == "10.0.0.5")
        #expect(client(proxy, []) == "10.0.0.5")
        #expect(client(ClientAddress("2001:db8:1::7"), ["::ffff:198.51.100.4"]) == "198.51.100.4")
        #expect(client(nil, ["198.51.100.1"]) == nil)
        // One IPv6 subscriber holds a /64: its addresses count as one.
        #expect(ClientAddress("2001:db8:5:6::1")?.limitKey == ClientAddress("2001:db8:5:6:ffff::9")?.limitKey)
        #expect(ClientAddress("2001:db8:5:6::1")?.limitKey != ClientAddress("2001:db8:5:7::1")?.limitKey)
        #expect(ClientAddress("198.51.100.4")?.limitKey != ClientAddress("198.51.100.5")?.limitKey)
    }
}
