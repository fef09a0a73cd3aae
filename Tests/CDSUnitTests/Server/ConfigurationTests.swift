import CDSServer
import CDSTestSupport
import Foundation
import Logging
import Testing

@Suite struct ConfigurationTests {
    /// A `--config` file with these lines, removed after `body`.
    func withFile<Result>(_ lines: [String], _ body: (URL) throws -> Result) throws -> Result {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("cds-config-\(UUID().uuidString).env")
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        return try body(file)
    }

    @Test func theListenAddressIsReadFromTheEnvironment() throws {
        #expect(try ServerConfiguration.fromEnvironment([:]).httpAddress.description == "127.0.0.1:8080")
        #expect(try ServerConfiguration.fromEnvironment(["CDS_HTTP_ADDR": "[::1]:9090"]).httpAddress.description == "[::1]:9090")
        for bad in ["8080", "localhost", "127.0.0.1:99999", ":8080"] {
            #expect(throws: ConfigurationError.self) { try ServerConfiguration.fromEnvironment(["CDS_HTTP_ADDR": bad]) }
        }
    }

    @Test func theFileIsReadAndTheEnvironmentOverridesIt() throws {
        let lines = [
            "# production", "", "CDS_HTTP_ADDR=0.0.0.0:8081", "CDS_RATE_LIMIT = 600", "CDS_LOG_FORMAT=\"text\"",
            "CDS_DATABASE_POOL_SIZE='8'", "CDS_DATABASE_PREPARED_STATEMENTS=false", "CDS_GRPC_MAX_RECORDS_PER_PUSH=5000",
        ]
        try withFile(lines) { file in
            let source = try ConfigurationSource(environment: ["CDS_RATE_LIMIT": "900", "HOME": "/root"], file: file)
            let configuration = try ServerConfiguration(source)
            #expect(configuration.httpAddress.description == "0.0.0.0:8081")
            #expect(configuration.rateLimit?.perMinute == 900)
            #expect(configuration.logFormat == .text)
            #expect(configuration.database.poolSize == 8)
            #expect(configuration.database.preparedStatements == false)
            #expect(configuration.syncLimits.maximumRecordsPerPush == 5000)
            #expect(source.entries[.httpAddress]?.origin == .file("\(file.path):3"))
            #expect(source.entries[.rateLimit]?.origin == .environment)
        }
    }

    @Test func everyBadValueIsNamedAtOnce() throws {
        let environment = [
            "CDS_HTTP_ADDR": "localhost", "CDS_RATE_LIMIT": "-1", "CDS_LOG_LEVEL": "loud", "CDS_DATABASE_URL": "mysql://x@y/z",
            "CDS_TLS_CERT": "/nonexistent/server.pem", "CDS_WEBHOOK_ALLOW_LOOPBACK": "yes", "CDS_DATABASE_POOL_SIZE": "0",
        ]
        let error = try #require(throws: ConfigurationError.self) { try ServerConfiguration.fromEnvironment(environment) }
        let named = Set(error.problems.compactMap { $0.split(separator: " ").first.map(String.init) })
        #expect(
            named == [
                "CDS_HTTP_ADDR", "CDS_RATE_LIMIT", "CDS_LOG_LEVEL", "CDS_DATABASE_URL", "CDS_TLS_CERT", "CDS_TLS_KEY",
                "CDS_TLS_CLIENT_CA", "CDS_WEBHOOK_ALLOW_LOOPBACK", "CDS_DATABASE_POOL_SIZE",
            ]
        )
        #expect(
            error.problems.contains("CDS_RATE_LIMIT must be requests per minute per token (0: no limit) from 0 to 1000000, not '-1' (environment)")
        )
    }

    @Test func publicTrafficLimitsAndTheMetricsAddressAreRead() throws {
        let defaults = try ServerConfiguration.fromEnvironment([:])
        #expect(defaults.publicTraffic.perAddress?.perMinute == 300)
        #expect(defaults.publicTraffic.trustedProxies == .none)
        #expect(defaults.publicTraffic.databaseShare == 5)
        #expect(defaults.metricsAddress.description == "127.0.0.1:9464")
        let set = try ServerConfiguration.fromEnvironment([
            "CDS_PUBLIC_RATE_LIMIT": "0", "CDS_TRUSTED_PROXIES": "10.0.0.5, 10.1.0.0/16,fd00::/8", "CDS_DATABASE_POOL_SIZE": "40",
            "CDS_METRICS_ADDR": "10.0.0.7:9464",
        ])
        #expect(set.publicTraffic.perAddress == nil)
        #expect(set.publicTraffic.trustedProxies.description == "10.0.0.5/32,10.1.0.0/16,fd00::/8")
        #expect(set.publicTraffic.databaseShare == 10)
        #expect(set.metricsAddress.description == "10.0.0.7:9464")
        for bad in ["10.0.0.300", "10.0.0.0/33", "proxy.example", "fd00::/129", "10.0.0.0/"] {
            let error = try #require(throws: ConfigurationError.self, "\(bad)") {
                try ServerConfiguration.fromEnvironment(["CDS_TRUSTED_PROXIES": bad])
            }
            #expect(error.problems.first?.hasPrefix("CDS_TRUSTED_PROXIES must be addresses or networks") == true)
        }
    }

    /// The development certificates (made when no CDS_TLS_* is set) come with their CA's key: they never face a network.
    @Test func developmentCertificatesServeLoopbackOnly() throws {
        for address in ["127.0.0.1:8443", "127.8.0.1:0", "[::1]:8443", "localhost:8443"] {
            #expect(throws: Never.self, "\(address)") { try ServerConfiguration.fromEnvironment(["CDS_GRPC_ADDR": address]) }
        }
        for address in ["0.0.0.0:8443", "[::]:8443", "10.0.0.5:8443", "128.0.0.1:8443", "[::ffff:127.0.0.1]:8443", "cds.example:8443"] {
            let error = try #require(throws: ConfigurationError.self, "\(address)") {
                try ServerConfiguration.fromEnvironment(["CDS_GRPC_ADDR": address])
            }
            #expect(
                error.problems == [
                    "CDS_GRPC_ADDR is \(ServerConfiguration.Address(address)!), not a loopback address: set CDS_TLS_CERT, CDS_TLS_KEY and "
                        + "CDS_TLS_CLIENT_CA (the development certificates made without them serve 127.0.0.1 and ::1 only) (environment)"
                ]
            )
        }
    }

    @Test func aFileNamingAnUnknownSettingOrMalformedIsRefused() throws {
        try withFile(["CDS_HTTP_ADR=127.0.0.1:8080", "just words", "CDS_LOG_LEVEL=debug"]) { file in
            let error = try #require(throws: ConfigurationError.self) { try ConfigurationSource(environment: [:], file: file) }
            #expect(error.problems.count == 2)
            #expect(error.problems[0].hasSuffix(":1: CDS_HTTP_ADR is not a setting of cds-server (see README, Configuration)"))
            #expect(error.problems[1].hasSuffix(":2: expected NAME=value, not 'just words'"))
        }
        #expect(throws: ConfigurationError.self) {
            try ConfigurationSource(environment: [:], file: URL(fileURLWithPath: "/nonexistent/cds.env"))
        }
    }

    @Test func theListingShowsEverySettingWithPasswordsMasked() throws {
        let environment = [
            "CDS_DATABASE_URL": "postgres://cds_app:s3cret@db.example:5432/cds",
            "CDS_DATABASE_OWNER_URL": "postgres://cds_owner:0wner@db.example:5432/cds",
            "CDS_GRPC_ADDR": "127.0.0.2:9443",
            "CDS_DATABASE_ENGINE": "citus",
        ]
        let source = try ConfigurationSource(environment: environment)
        let listing = try ServerConfiguration(source).listing(source: source)
        let lines = listing.split(separator: "\n").map(String.init)
        #expect(lines.count == ServerSetting.allCases.count)
        #expect(!listing.contains("s3cret") && !listing.contains("0wner"))
        #expect(lines.contains { $0.hasPrefix("CDS_DATABASE_URL=postgres://cds_app:****@db.example:5432/cds") && $0.hasSuffix("# environment") })
        #expect(lines.contains("CDS_GRPC_ADDR=127.0.0.2:9443  # environment"))
        #expect(lines.contains("CDS_RATE_LIMIT=1200  # default"))
        #expect(lines.contains("CDS_SHUTDOWN_TIMEOUT=25  # default"))
        #expect(lines.contains("CDS_DATABASE_ENGINE=citus  # environment"))
        #expect(
            try ServerConfiguration.fromEnvironment([:]).listing(source: ConfigurationSource(environment: [:])).contains(
                "CDS_DATABASE_ENGINE=postgresql  # default"
            )
        )
        let misnamed = #expect(throws: ConfigurationError.self) { try ServerConfiguration.fromEnvironment(["CDS_DATABASE_ENGINE": "mysql"]) }
        #expect(misnamed?.problems.first?.contains("CDS_DATABASE_ENGINE") == true)
    }

    /// README's configuration table is the operators' reference: every setting is in it, and it names no other
    /// `cds-server` setting.
    @Test func theReadmeTableListsEverySetting() throws {
        let readme = try String(
            contentsOf: repositoryFile("README.md"),
            encoding: .utf8
        )
        let tableNames = Set(
            readme.split(separator: "\n").filter { $0.hasPrefix("| `CDS_") }.flatMap { row in
                row.split(separator: "|")[0].split(separator: "`").filter { $0.hasPrefix("CDS_") }.map(String.init)
            }
        )
        let settings = Set(ServerSetting.allCases.map(\.name))
        #expect(settings.subtracting(tableNames).isEmpty, "missing from README: \(settings.subtracting(tableNames).sorted())")
        let otherTools: Set = ["CDS_TEST_DATABASE_URL", "CDS_TEST_CITUS_ENV", "CDS_SERVER", "CDS_TOKEN", "CDS_PROFILE"]
        #expect(tableNames.subtracting(settings).subtracting(otherTools).isEmpty)
    }
}

@Suite struct JSONLogHandlerTests {
    @Test func eachEntryIsOneJSONObjectOnOneLine() throws {
        let lines = LogRecorder()
        var logger = Logger(label: "cds-server") { label in JSONLogHandler(label: label, write: { lines.append($0) }) }
        logger[metadataKey: "hb.request.id"] = "r-1"
        logger.info("listening\non two lines", metadata: ["cds.tenant": "116,120"])
        logger.debug("below the level")
        let recorded = lines.recorded
        #expect(recorded.count == 1)
        #expect(!recorded[0].contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(recorded[0].utf8)) as? [String: String])
        #expect(object["message"] == "listening\non two lines")
        #expect(object["level"] == "info" && object["logger"] == "cds-server")
        #expect(object["hb.request.id"] == "r-1" && object["cds.tenant"] == "116,120")
        #expect(object["time"]?.hasSuffix("Z") == true)
    }
}
