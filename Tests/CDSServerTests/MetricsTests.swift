import CDSDatabase
import CDSFeedback
import CDSServer
import CDSTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

/// `/metrics`: Prometheus's text format, on its own listener (`CDS_METRICS_ADDR`), with the requests by route, the pool
/// and the overdue feedback.
@Suite struct MetricsTests {
    @Test func requestsByRouteAndStatusThePoolAndOverdueFeedbackAreExported() async throws {
        _ = ServerMetrics.registry
        try await TestDatabase.withFresh { db in
            try await Database.withDatabase(db.application, logger: TestDatabase.logger) { database in
                try await OverdueReportsGauge(database: database, logger: TestDatabase.logger).measure()
                let app = try Server.buildApplication(configuration: HealthTests.configuration, database: database, logger: TestDatabase.logger)
                let metrics = Application(router: Server.buildMetricsRouter())
                try await app.test(.router) { client in
                    let scrape = { @Sendable () async throws -> (HTTPResponse.Status, String?, String) in
                        try await metrics.test(.router) { metricsClient in
                            try await metricsClient.execute(uri: "/metrics", method: .get) {
                                ($0.status, $0.headers[.contentType], String(buffer: $0.body))
                            }
                        }
                    }
                    let before = MetricsText(try await scrape().2)
                    // A route no other test of the whole server asks for: suites run at once, in one process.
                    let labels = ["http_route": "/v1/teams", "http_request_method": "GET", "http_response_status_code": "401"]
                    for _ in 0..<3 {
                        try await client.execute(uri: "/v1/teams", method: .get) { #expect($0.status == .unauthorized) }
                    }
                    let (status, contentType, body) = try await scrape()
                    #expect(status == .ok)
                    #expect(contentType?.hasPrefix("text/plain; version=0.0.4") == true)
                    let after = MetricsText(body)
                    let counted =
                        (after.value("http_server_request_duration_count", labels) ?? 0)
                        - (before.value("http_server_request_duration_count", labels) ?? 0)
                    #expect(counted == 3)
                    #expect(body.contains("# TYPE http_server_request_duration histogram"))
                    #expect(after.value("cds_db_pool_connections_max", ["database": db.application.database]) == 8)
                    #expect(after.value("cds_db_pool_connections_in_use", ["database": db.application.database]) == 0)
                    #expect(after.value("cds_db_pool_wait_duration_count", ["database": db.application.database]) ?? 0 > 0)
                    // Every district has its overdue gauge, zero on a fresh database.
                    #expect(after.value("cds_feedback_overdue", ["district_code": "116"]) == 0)
                    #expect(body.components(separatedBy: "cds_feedback_overdue{").count - 1 >= 12)
                }
            }
        }
    }

    /// The listener of the admin and partner APIs shows no counters: they stay on the operators' own address.
    @Test func theAPIListenerDoesNotServeMetrics() async throws {
        try await TestDatabase.withFresh { db in
            try await Database.withDatabase(db.application, logger: TestDatabase.logger) { database in
                let app = try Server.buildApplication(configuration: HealthTests.configuration, database: database, logger: TestDatabase.logger)
                try await app.test(.router) { client in
                    try await client.execute(uri: "/metrics", method: .get) { #expect($0.status == .notFound) }
                }
            }
        }
        #expect(HealthTests.configuration.metricsAddress.description == "127.0.0.1:9464")
        #expect(HealthTests.configuration.metricsAddress.isLoopback)
    }
}
