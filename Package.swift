// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    // https://github.com/apple/swift-evolution/blob/main/proposals/0335-existential-any.md
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "cds",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "cds-server", targets: ["cds-server"]),
        .executable(name: "cds-admin", targets: ["cds-admin"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        // cds-admin's staff commands are a client of the admin API: the server ecosystem's HTTP client, on the same NIO.
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        // The development CA and certificate pairs of the roster sync's mutual TLS, and client fingerprints.
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        // Counters and timers in every part, exported at /metrics by swift-prometheus (the server ecosystem's pair).
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.1.0"),
        // Already under every server part; named for cds-server, which runs Swift concurrency on its event loops.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        // Already under PostgresNIO: named for the database's TLS settings (libpq's sslmode and sslrootcert).
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.29.0"),
        .package(url: "https://github.com/CoreOffice/XMLCoder.git", from: "0.18.0"),
        // The roster sync protocol: gRPC over HTTP/2 with TLS (NIO transport), messages in protobuf.
        .package(url: "https://github.com/grpc/grpc-swift-2.git", from: "2.4.0"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport.git", from: "2.9.0"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf.git", from: "2.4.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        // The web console: bcrypt for staff passwords (the Hummingbird project's own), HTML from Mustache templates.
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        // The console's file upload without JavaScript: multipart/form-data, read by a maintained parser.
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.0"),
        // SQLKit's row decoder, over PostgresNIO's rows: the wire types are read straight from a select list that
        // names their fields, instead of being copied from a row struct of the same fields.
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
    ],
    targets: [
        // Domain types and validation; no I/O.
        .target(
            name: "CDSCore",
            swiftSettings: swiftSettings
        ),
        // The SQL migrations and the reference data they are loaded with, shipped as resources.
        // The target lives in `sql/` so that the migrations stay plain files at the top of the repository.
        .target(
            name: "CDSSchema",
            path: "sql",
            exclude: ["README.md"],
            resources: [.copy("migrations"), .copy("reference")],
            swiftSettings: swiftSettings
        ),
        // Connection, migrations, the tenant-scoped transaction API, the control plane (accounts, grants, tokens, sync
        // clients, partner apps), the embedded cluster and the reference data.
        .target(
            name: "CDSDatabase",
            dependencies: [
                "CDSCore",
                "CDSSchema",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                // Rows decoded into Decodable types by column name.
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            exclude: ["Connection/Workarounds/README.md"],
            swiftSettings: swiftSettings
        ),
        // The reports computed in SQL (establishment, coverage, trainings, activities), as JSON or CSV.
        .target(
            name: "CDSReports",
            dependencies: [
                "CDSCore",
                "CDSDatabase",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // A district's demo roster, generated from the province's establishment table (`cds-admin demo seed`).
        .target(
            name: "CDSDemo",
            dependencies: [
                "CDSCore",
                "CDSDatabase",
                "CDSReports",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The operators' maintenance of the feedback module (`cds-admin feedback`), without its HTTP surface.
        .target(
            name: "CDSFeedbackMaintenance",
            dependencies: [
                "CDSDatabase",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The JSON shapes of the admin API, written once: the server encodes them, cds-admin decodes them.
        .target(
            name: "CDSWire",
            dependencies: ["CDSCore"],
            swiftSettings: swiftSettings
        ),
        // What every HTTP surface shares: the request context and its caller, problem+json, strict body and query
        // parsing, paging, the request id, access log and problem middlewares, and the limits on public traffic.
        .target(
            name: "CDSHTTP",
            dependencies: [
                "CDSCore",
                "CDSDatabase",
                "CDSWire",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The administrative HTTP API under /v1: authentication, authorisation, the registry's resources.
        .target(
            name: "CDSAdminAPI",
            dependencies: [
                "CDSCore",
                "CDSDatabase",
                "CDSHTTP",
                "CDSReports",
                "CDSWire",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                // A sync client's certificate, read to register its fingerprint.
                .product(name: "X509", package: "swift-certificates"),
            ],
            resources: [.copy("openapi.json")],
            swiftSettings: swiftSettings
        ),
        // Citizens' feedback relayed by partner apps: Open311 GeoReport v2 and the native partner API, the handling
        // workflow, webhooks to the partners.
        .target(
            name: "CDSFeedback",
            dependencies: [
                "CDSCore",
                "CDSDatabase",
                "CDSHTTP",
                "CDSWire",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                // Open311's required XML format, from the same Codable models as its JSON.
                .product(name: "XMLCoder", package: "XMLCoder"),
                // Webhook deliveries to the partners: the server ecosystem's HTTP client, on the same NIO.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        // The code generated from `proto/` (ops/proto/generate.sh): messages and gRPC stubs, committed.
        // The web console: server-rendered pages over the admin API's own routes, with sessions for people.
        .target(
            name: "CDSConsole",
            dependencies: [
                "CDSAdminAPI",
                "CDSCore",
                "CDSDatabase",
                "CDSHTTP",
                "CDSReports",
                "CDSWire",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.copy("Resources/templates"), .copy("Resources/static"), .copy("Resources/messages.json")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CDSRosterProto",
            dependencies: [
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        // The roster sync: a gRPC server over mutual TLS that applies pushed rosters and answers pulls.
        .target(
            name: "CDSRosterSync",
            dependencies: [
                "CDSCore",
                "CDSDatabase",
                "CDSRosterProto",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        // The HTTP listener and the service group that `cds-server` runs.
        .target(
            name: "CDSServer",
            dependencies: [
                "CDSAdminAPI",
                "CDSConsole",
                "CDSDatabase",
                "CDSFeedback",
                "CDSHTTP",
                "CDSRosterSync",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        // The commands of `cds-admin`.
        .target(
            name: "CDSAdmin",
            dependencies: [
                "CDSCore",
                "CDSDatabase",
                "CDSDemo",
                "CDSFeedbackMaintenance",
                "CDSReports",
                // `cds-admin sync push|pull`: a client of the roster sync protocol.
                "CDSRosterProto",
                // The staff commands: a client of the admin API, decoding what the server encodes.
                "CDSWire",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "cds-server",
            dependencies: [
                "CDSDatabase",
                "CDSServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "cds-admin",
            dependencies: ["CDSAdmin"],
            swiftSettings: swiftSettings
        ),
        // Test helpers: one embedded cluster per test process, a fresh database per test.
        .target(
            name: "CDSTestSupport",
            dependencies: [
                // One harness per surface (Harnesses/): the admin API, the feedback module, cds-admin, the roster sync.
                "CDSAdmin",
                "CDSAdminAPI",
                "CDSCore",
                "CDSDatabase",
                "CDSFeedback",
                "CDSHTTP",
                "CDSRosterProto",
                "CDSRosterSync",
                "CDSServer",
                "CDSWire",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                // Every answer the HTTP tests get is checked against openapi.json.
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Tests/CDSTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            // The tests that need no database, no server and no network: `swift test --filter CDSUnitTests`, in seconds.
            name: "CDSUnitTests",
            dependencies: [
                "CDSAdminAPI", "CDSCore", "CDSDatabase", "CDSFeedback", "CDSHTTP", "CDSReports", "CDSServer", "CDSTestSupport",
                "CDSWire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CDSDatabaseTests",
            dependencies: [
                "CDSDatabase", "CDSDemo", "CDSReports", "CDSTestSupport", .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CDSAdminAPITests",
            dependencies: [
                "CDSAdminAPI", "CDSDemo", "CDSHTTP", "CDSReports", "CDSServer", "CDSTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CDSConsoleTests",
            dependencies: [
                "CDSConsole", "CDSDatabase", "CDSServer", "CDSTestSupport",
                .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CDSFeedbackTests",
            dependencies: [
                "CDSCore", "CDSFeedback", "CDSFeedbackMaintenance", "CDSHTTP", "CDSServer", "CDSTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CDSRosterSyncTests",
            dependencies: [
                "CDSRosterSync", "CDSRosterProto", "CDSServer", "CDSTestSupport",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CDSServerTests",
            dependencies: [
                "CDSFeedback", "CDSHTTP", "CDSRosterSync", "CDSServer", "CDSTestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CDSAdminTests",
            dependencies: [
                "CDSAdmin", "CDSDemo", "CDSReports", "CDSRosterSync", "CDSServer", "CDSTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
