import CDSTestSupport
import Foundation
import Testing

/// The read-only resources of GeoReport v2, in both formats.
@Suite struct Open311ReadTests {
    @Test func discoveryInBothFormats() async throws {
        try await FeedbackTestCase.run { test in
            let json = try await test.get("/open311/v2/discovery.json")
            #expect(json.status == 200)
            let endpoints = (json.json as? [String: Any])?["endpoints"] as? [[String: Any]]
            #expect(endpoints?.first?["specification"] as? String == "http://wiki.open311.org/GeoReport_v2")
            #expect(endpoints?.first?["formats"] as? [String] == ["text/xml", "application/json"])
            let xml = try await test.get("/open311/v2/discovery.xml")
            #expect(xml.headers[.contentType] == "text/xml; charset=utf-8")
            #expect(xml.body.hasPrefix(#"<?xml version="1.0" encoding="UTF-8"?>"#))
            #expect(
                xml.body.contains("<endpoints><endpoint>")
                    && xml.body.contains("<formats><format>text/xml</format><format>application/json</format></formats>")
            )
        }
    }

    @Test func servicesAreTheCategories() async throws {
        try await FeedbackTestCase.run { test in
            let json = try await test.get("/open311/v2/services.json")
            #expect(json.status == 200)
            #expect(json.headers[.contentType] == "application/json; charset=utf-8")
            let road = try #require(json.list.first { $0["service_code"] as? String == "giao-thong" })
            #expect(road["service_name"] as? String == "Hạ tầng giao thông")
            #expect(road["metadata"] as? Bool == true)
            #expect(road["type"] as? String == "realtime")
            #expect(road["group"] as? String == "Hạ tầng")
            #expect(json.list.count == 9)
            let xml = try await test.get("/open311/v2/services.xml?jurisdiction_id=14")
            #expect(xml.status == 200)
            #expect(xml.body.contains("<services><service>"))
            #expect(xml.body.components(separatedBy: "<service>").count - 1 == 9)
            #expect(xml.body.contains("<service_code>giao-thong</service_code>"))
        }
    }

    @Test func aServiceDefinitionNestsItsAttributesAndValues() async throws {
        try await FeedbackTestCase.run { test in
            let json = try await test.get("/open311/v2/services/giao-thong.json")
            #expect(json.status == 200)
            let definition = json.json as? [String: Any]
            #expect(definition?["service_code"] as? String == "giao-thong")
            let attribute = (definition?["attributes"] as? [[String: Any]])?.first
            #expect(attribute?["code"] as? String == "blocked" && attribute?["required"] as? Bool == true)
            #expect((attribute?["values"] as? [[String: Any]])?.map { $0["key"] as? String } == ["yes", "no"])
            let xml = try await test.get("/open311/v2/services/giao-thong.xml")
            #expect(xml.body.contains("<service_definition><service_code>giao-thong</service_code><attributes><attribute>"))
            #expect(xml.body.contains("<values><value><key>yes</key><name>Có</name></value>"))
        }
    }

    /// Found by ops/fault's random requests: a NUL character, which no PostgreSQL text can hold, was a 500.
    @Test func aNULCharacterInAFilterIsA400() async throws {
        try await FeedbackTestCase.run { test in
            for query in ["service_request_id=%00%01", "service_code=a%00b"] {
                let answer = try await test.get("/open311/v2/requests.json?\(query)")
                #expect(answer.status == 400, "\(query)")
                #expect(answer.list.first?["code"] as? Int == 400)
            }
        }
    }

    @Test func unknownThingsAre404sInTheSpecificationsErrorFormat() async throws {
        try await FeedbackTestCase.run { test in
            let json = try await test.get("/open311/v2/services/no-such-service.json")
            #expect(json.status == 404)
            #expect(json.list.first?["code"] as? Int == 404)
            #expect((json.list.first?["description"] as? String)?.contains("no-such-service") == true)
            let xml = try await test.get("/open311/v2/requests/PAKN-2026-999999.xml")
            #expect(xml.status == 404)
            #expect(xml.body.contains("<errors><error><code>404</code><description>"))
            #expect(try await test.get("/open311/v2/services.json?jurisdiction_id=hanoi").status == 404)
            #expect(try await test.get("/open311/v2/services.yaml").status == 404)
            #expect(try await test.get("/open311/v2/tokens/not-a-token.json").status == 404)
            #expect(try await test.get("/open311/v2/nothing.json").status == 404)
        }
    }

    @Test func listingFiltersAreChecked() async throws {
        try await FeedbackTestCase.run { test in
            for query in [
                "start_date=yesterday", "start_date=2026-11-02T00:00:00Z&end_date=2026-11-01T00:00:00Z",
                "start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z", "status=pending", "page=0", "page_size=1001",
            ] {
                let answer = try await test.get("/open311/v2/requests.json?\(query)")
                #expect(answer.status == 400, "\(query)")
                #expect(answer.list.first?["code"] as? Int == 400, "\(query)")
            }
            #expect(try await test.get("/open311/v2/requests.json?start_date=2026-11-01T00:00:00%2B07:00").status == 200)
        }
    }
}
