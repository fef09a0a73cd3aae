import CDSCore
import CDSDatabase
import CDSHTTP
import Foundation
import Hummingbird

/// `/console/two-step`: a person turns on a second factor for their own account (a code from an authenticator app,
/// asked at every sign-in), offered to province-level accounts; and turns it off again with a code of the moment.
struct TwoStepPage: Sendable {
    let console: WebConsole

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.get("two-step") { request, context in try await console.signedIn(request, context) { try await show($0) } }
        group.post("two-step/{action}") { request, context in
            try await console.signedInForm(request, context) { try await act(context, $0, fields: $1) }
        }
    }

    private var words: Catalogue { console.pages.catalogue }

    func show(_ visitor: Visitor, problem: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let principal = visitor.caller.principal
        let state = try await console.controlPlane.totpState(for: principal.id, name: principal.name)
        var values = visitor.frame
        switch state {
        case .on:
            values["on"] = true
        case .pending(let enrolment):
            values["pending"] = ["key": Self.grouped(enrolment.key), "link": enrolment.link]
        case .off:
            // Someone no longer at province level keeps the way to turn it off, but is not offered to turn it on.
            guard visitor.mayUseTwoStep else { throw ProblemDetails.forbidden("two-step sign-in is offered to province accounts") }
            values["off"] = true
        }
        if let problem { values["problem"] = problem }
        return console.pages.render("two-step", values, language: visitor.language, status: status)
    }

    func act(_ context: APIRequestContext, _ visitor: Visitor, fields: [String: String]) async throws -> Response {
        let plane = console.controlPlane
        let account = visitor.caller.principal.id
        let actor = visitor.caller.actor
        switch context.parameters.get("action") {
        case "start":
            guard visitor.mayUseTwoStep else { throw ProblemDetails.forbidden("two-step sign-in is offered to province accounts") }
            try await plane.startTOTP(for: account, actor: actor)
        case "confirm", "disable":
            // A password or a code guessed from an open session is a sign-in guessed: the same throttle, per
            // account and per address, so that a session left open is no way to learn the password or get past
            // the second factor by trying them all.
            let name = visitor.caller.principal.name
            let address = context.clientAddress?.description ?? "unknown"
            if let wait = console.throttle.wait(account: name, address: address) {
                let minutes = String(Int((wait / 60).rounded(.up)))
                return try await show(
                    visitor,
                    problem: words.text("sign_in_throttled", visitor.language, ["minutes": minutes]),
                    status: .tooManyRequests
                )
            }
            let code = fields["code"] ?? ""
            let refusal: String?
            if context.parameters.get("action") == "disable" {
                refusal = try await plane.disableTOTP(for: account, code: code, actor: actor) ? nil : "two_step_wrong_code"
            } else if try await !plane.passwordMatches(fields["password"] ?? "", of: account) {
                // The password again: someone who found a session open must not lock its person out behind their own phone.
                refusal = "two_step_wrong_password"
            } else {
                refusal = try await plane.confirmTOTP(for: account, code: code, actor: actor) ? nil : "two_step_wrong_code"
            }
            if let refusal {
                console.throttle.recordFailure(account: name, address: address)
                return try await show(visitor, problem: words.text(refusal, visitor.language), status: .unprocessableContent)
            }
        default:
            throw ProblemDetails.notFound("no console page is here")
        }
        return PageRenderer.redirect(to: "/console/two-step")
    }

    /// The key in groups of four, as people copy it into an app by hand.
    static func grouped(_ key: String) -> String {
        stride(from: 0, to: key.count, by: 4).map { start in
            String(key.dropFirst(start).prefix(4))
        }.joined(separator: " ")
    }
}
