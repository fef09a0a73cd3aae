import CDSDatabase
import CDSTestSupport
import Foundation
import HummingbirdOTP
import Testing

/// Two-step sign-in: a province account turns it on with a first code, then needs a code of the moment at every
/// sign-in, each code accepted once; a wrong code is answered as a wrong password; turning it off needs a code too.
@Suite struct ConsoleTwoStepTests {
    static let password = "Tỉnh Sơn La 2026 cao nguyên"

    /// The code the account's authenticator app shows at `date`, from the secret the database keeps.
    static func code(_ api: AdminAPITestCase, account: String, at date: Date = Date()) async throws -> String {
        let secret = try await api.db.superuserRows(
            "SELECT s.totp_secret FROM cds.staff_totp s JOIN cds.principals p ON p.id = s.principal_id WHERE p.name = \(account)",
            as: String.self
        )
        let value = TOTP(secret: try #require(secret.first)).compute(date: date)
        return String(format: "%06d", value)
    }

    /// Waits out the last seconds of a 30-second step, so that the codes a check computes stay those of the step the
    /// server checks them in.
    static func awayFromAStepsEnd() async throws {
        let into = Date().timeIntervalSince1970.truncatingRemainder(dividingBy: 30)
        if into > 24 { try await Task.sleep(for: .seconds(30 - into + 0.2)) }
    }

    @Test func aProvinceAccountTurnsItOnAndThenNeedsAFreshCodeAtEverySignIn() async throws {
        try await AdminAPITestCase.run { api in
            try await ConsoleBrowser.choosePassword(api, account: "province", password: Self.password)
            let browser = ConsoleBrowser(api)
            try await browser.signIn("province", password: Self.password)
            let page = try await browser.get("/console/two-step")
            #expect(page.status == 200)
            let csrf = try #require(page.hidden("_csrf"))
            #expect(try await browser.post("/console/two-step/start", ["_csrf": csrf]).status == 303)
            let pending = try await browser.get("/console/two-step")
            #expect(pending.html.contains("otpauth://totp/"))
            // Not in force until a right code confirms it.
            #expect(try await ConsoleBrowser(api).signIn("province", password: Self.password).status == 303)
            // Confirmed with the code of the step before (a phone's clock a little behind), so that the code of now
            // is still unused for the sign-in below.
            try await Self.awayFromAStepsEnd()
            let earlier = try await Self.code(api, account: "province", at: Date(timeIntervalSinceNow: -30))
            #expect(
                try await browser.post("/console/two-step/confirm", ["_csrf": csrf, "password": Self.password, "code": earlier]).status == 303
            )
            #expect(try await browser.get("/console/two-step").html.contains("đang bật"))

            // The password alone, or with a wrong code, is refused as a wrong password is.
            #expect(try await ConsoleBrowser(api).signIn("province", password: Self.password).status == 401)
            let wrong = try await ConsoleBrowser(api).signIn("province", password: Self.password, code: "123456")
            #expect(wrong.status == 401)
            try await Self.awayFromAStepsEnd()
            let now = try await Self.code(api, account: "province")
            let signedIn = ConsoleBrowser(api)
            #expect(try await signedIn.signIn("province", password: Self.password, code: now).status == 303)
            // The same code a second time, as if read over a shoulder: refused.
            #expect(try await ConsoleBrowser(api).signIn("province", password: Self.password, code: now).status == 401)
            // The audit log records the change, never the secret.
            let images = try await api.db.superuserRows(
                "SELECT coalesce(after::text, '') FROM cds.control_audit_log WHERE entity LIKE '%staff_totp'",
                as: String.self
            )
            let secret = try await api.db.superuserRows("SELECT totp_secret FROM cds.staff_totp", as: String.self)
            #expect(!images.isEmpty && !images.contains { $0.contains(secret[0]) })

            // Turning it off needs a code of the moment too; then the password alone is enough again.
            let session = try #require(try await signedIn.get("/console/two-step").hidden("_csrf"))
            #expect(try await signedIn.post("/console/two-step/disable", ["_csrf": session, "code": now]).status == 422)
            try await Self.awayFromAStepsEnd()
            let later = try await Self.code(api, account: "province", at: Date(timeIntervalSinceNow: 30))
            #expect(try await signedIn.post("/console/two-step/disable", ["_csrf": session, "code": later]).status == 303)
            #expect(try await ConsoleBrowser(api).signIn("province", password: Self.password).status == 303)
        }
    }

    /// The person lost the phone: whoever may issue the account an invitation may remove its second factor (through
    /// the API and `cds-admin users reset-two-step`); another district's admin finds no such account, and no one
    /// removes their own without a code.
    @Test func aLostPhoneIsResetByWhoeverMayActAsTheAccount() async throws {
        try await AdminAPITestCase.run { api in
            let me = try #require(try await api.get("/v1/me", as: "officer").json as? [String: Any])
            let id = try #require((me["id"] as? String).flatMap(UUID.init(uuidString:)))
            let started = try await Database.withDatabase(api.db.application, logger: TestDatabase.logger) { app in
                try await ControlPlane(database: app).startTOTP(for: id, actor: .operator("test"))
            }
            #expect(started)
            let path = "/v1/users/\(id.uuidString.lowercased())/two-step"
            #expect(try await api.send(.delete, path, as: "muongla").status == 404)
            #expect(try await api.send(.delete, path, as: "officer").status == 403)
            #expect(try await api.db.superuserRows("SELECT count(*)::int FROM cds.staff_totp", as: Int.self) == [1])
            #expect(try await api.send(.delete, path, as: "district").status == 204)
            #expect(try await api.db.superuserRows("SELECT count(*)::int FROM cds.staff_totp", as: Int.self) == [0])
            // As a DELETE, again: nothing left to remove, the same answer.
            #expect(try await api.send(.delete, path, as: "district").status == 204)
        }
    }

    /// An open session is no way to guess: wrong passwords and codes on the two-step page count as failed sign-ins,
    /// and after the account's allowance the page refuses even the right ones until the window passes.
    @Test func guessesFromAnOpenSessionAreThrottledAsSignIns() async throws {
        try await AdminAPITestCase.run { api in
            try await ConsoleBrowser.choosePassword(api, account: "province", password: Self.password)
            let browser = ConsoleBrowser(api)
            try await browser.signIn("province", password: Self.password)
            let csrf = try #require(try await browser.get("/console/two-step").hidden("_csrf"))
            #expect(try await browser.post("/console/two-step/start", ["_csrf": csrf]).status == 303)
            // Someone who found the session open, without the password, cannot turn it on to lock its person out.
            for guess in 1...5 {
                let page = try await browser.post("/console/two-step/confirm", ["_csrf": csrf, "password": "đoán \(guess)", "code": "000000"])
                #expect(page.status == 422 && page.html.contains("Mật khẩu không đúng"))
            }
            try await Self.awayFromAStepsEnd()
            let code = try await Self.code(api, account: "province")
            let throttled = try await browser.post("/console/two-step/confirm", ["_csrf": csrf, "password": Self.password, "code": code])
            #expect(throttled.status == 429)
            let enabled = try await api.db.superuserRows("SELECT count(*)::int FROM cds.staff_totp WHERE enabled_at IS NOT NULL", as: Int.self)
            #expect(enabled == [0])
        }
    }

    @Test func aDistrictAccountIsNotOfferedIt() async throws {
        try await AdminAPITestCase.run { api in
            try await ConsoleBrowser.choosePassword(api, account: "district", password: Self.password)
            let browser = ConsoleBrowser(api)
            try await browser.signIn("district", password: Self.password)
            let overview = try await browser.get("/console")
            #expect(!overview.html.contains("/console/two-step"))
            #expect(try await browser.get("/console/two-step").status == 403)
            let csrf = try #require(overview.hidden("_csrf"))
            #expect(try await browser.post("/console/two-step/start", ["_csrf": csrf]).status == 403)
            #expect(try await api.db.superuserRows("SELECT count(*)::int FROM cds.staff_totp", as: Int.self) == [0])
        }
    }
}
