import CDSFeedback
import Foundation
import Testing

/// Where a webhook may go, and how its messages are signed.
@Suite struct WebhookTargetTests {
    /// The test vector of the Standard Webhooks specification (checked against its Python library too).
    @Test func signaturesFollowStandardWebhooks() throws {
        let secret = try #require(Data(base64Encoded: "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
        let signature = WebhookSignature.sign(
            id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
            timestamp: 1_614_265_330,
            body: Data(#"{"test": 2432232314}"#.utf8),
            secret: secret
        )
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }

    static func refused(_ url: String, allowLoopback: Bool) -> Bool {
        do {
            try WebhookTarget.check(url, allowLoopback: allowLoopback)
            return false
        } catch {
            return true
        }
    }

    @Test func privateAndLoopbackTargetsAreRefused() {
        for url in [
            "http://127.0.0.1:9/hook", "http://10.1.2.3/hook", "https://192.168.1.1/", "http://169.254.169.254/latest", "http://[::1]/x",
            "http://100.64.0.1/", "http://[fd00::1]/", "http://0.0.0.0/", "ftp://a.vn/x", "nohost",
        ] {
            #expect(Self.refused(url, allowLoopback: false), "\(url)")
        }
        // Special ranges, and IPv6 forms that carry an IPv4 address inside.
        for url in [
            "https://[64:ff9b::7f00:1]/", "https://[::ffff:127.0.0.1]/", "https://[::7f00:1]/", "https://[2002:7f00:1::]/",
            "https://192.0.0.8/", "https://198.18.0.1/", "https://198.19.255.1/", "https://224.0.0.1/", "https://240.0.0.1/",
            "https://255.255.255.255/", "https://[ff02::1]/", "https://[2001:db8::1]/", "https://[2001::1]/", "https://[fec0::1]/",
            "https://192.0.2.1/", "https://[100::1]/",
        ] {
            #expect(Self.refused(url, allowLoopback: false), "\(url)")
        }
        #expect(Self.refused("http://10.0.0.1/hook", allowLoopback: true))
        #expect(!Self.refused("http://127.0.0.1:9/hook", allowLoopback: true))
        #expect(!Self.refused("https://8.8.8.8/hook", allowLoopback: false))
        #expect(!Self.refused("https://[2606:4700::1111]/hook", allowLoopback: false))
        // Plain http only in development.
        #expect(Self.refused("http://8.8.8.8/hook", allowLoopback: false))
    }

    /// A resolver that answers a public address first and loopback second: the target is refused as a whole.
    @Test func everyAddressAHostResolvesToIsChecked() {
        let twoFaced: WebhookTarget.Resolver = { _ in
            [.init(bytes: [93, 184, 216, 34], text: "93.184.216.34"), .init(bytes: [127, 0, 0, 1], text: "127.0.0.1")]
        }
        #expect(throws: WebhookTarget.Refusal.notPublic(host: "hooks.partner.example", address: "127.0.0.1")) {
            try WebhookTarget.check("https://hooks.partner.example/cds", allowLoopback: false, resolver: twoFaced)
        }
        let checked = try? WebhookTarget.check(
            "https://hooks.partner.example/cds",
            allowLoopback: false,
            resolver: { _ in [.init(bytes: [93, 184, 216, 34], text: "93.184.216.34")] }
        )
        #expect(checked == .init(host: "hooks.partner.example", address: "93.184.216.34"))
    }
}
