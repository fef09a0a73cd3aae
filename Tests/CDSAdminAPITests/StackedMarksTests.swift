import CDSTestSupport
import Foundation
import Testing

/// Text of stacked combining marks is one Character to Swift and hundreds of code points to PostgreSQL: every text
/// field counts its limit as PostgreSQL does, so such text is written when it fits and refused with a 4xx when it
/// does not — never a 500.
@Suite struct StackedMarksTests {
    /// One letter with `marks` combining marks on it (cycling through five of them): `marks + 1` code points.
    static func stacked(_ marks: Int) -> String {
        let combining: [Unicode.Scalar] = ["\u{0300}", "\u{0301}", "\u{0303}", "\u{0309}", "\u{0323}"]
        var text = "a"
        for index in 0..<marks { text.unicodeScalars.append(combining[index % combining.count]) }
        return text
    }

    @Test func stackedMarksAreAClientErrorOnEveryTextField() async throws {
        try await AdminAPITestCase.run { api in
            let fixture = try await api.insertTwoDistricts()
            for marks in [130, 250, 600, 5_000] {
                let text = Self.stacked(marks)
                #expect(text.count == 1 && text.unicodeScalars.count == marks + 1)
                let writes: [(String, String)] = [
                    ("/v1/teams", #"{"unit_code":"3649","name":"\#(text)"}"#),
                    ("/v1/units", #"{"commune_code":"3649","name":"\#(text)","kind":"ban"}"#),
                    ("/v1/members", #"{"team_id":"\#(fixture.a.teamID)","full_name":"Lò \#(text)"}"#),
                    ("/v1/trainings", #"{"held_on":"2024-03-01","topic":"\#(text)","mode":"online"}"#),
                    ("/v1/activities", #"{"team_id":"\#(fixture.a.teamID)","held_on":"2024-03-01","topic":"e_commerce","residents_reached":3,"note":"\#(text)"}"#),
                    ("/v1/users", #"{"name":"stacked","display_name":"\#(text)","home_unit_code":"116"}"#),
                ]
                for (uri, body) in writes {
                    let answer = try await api.send(.post, uri, as: "district", body: body)
                    #expect(answer.status < 500, "POST \(uri) with \(marks) marks answered \(answer.status)")
                    // Longer than any text limit: refused, whatever Swift counts.
                    if marks == 5_000 { #expect((400..<500).contains(answer.status), "POST \(uri) with \(marks) marks answered \(answer.status)") }
                }
                let read = try await api.get("/v1/members?q=\(text.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)", as: "district")
                #expect(read.status < 500, "a search with \(marks) marks answered \(read.status)")
            }
            let overlong = try await api.db.superuserRows(
                "SELECT count(*)::int FROM cds.teams WHERE char_length(name) > 1000 UNION ALL SELECT count(*)::int FROM cds.principals WHERE name = 'stacked'",
                as: Int.self
            )
            #expect(overlong == [0, 0])
        }
    }
}
