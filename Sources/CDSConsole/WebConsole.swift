import CDSAdminAPI
import CDSCore
import CDSDatabase
import CDSHTTP
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The web console under `/console`: server-rendered pages in Vietnamese (or English) for district IT staff, commune
/// officers and the province, signed in with a password and a server-side session.
///
/// Every page reads and writes through ``StaffAPI``: the admin API's own routes, called in this process with the
/// signed-in person as the caller, so that the console obeys the API's authorisation, tenant scope, validation and
/// audit, and shows its refusals in the person's language.
public struct WebConsole: Sendable {
    let controlPlane: ControlPlane
    let admin: AdminAPI
    let api: StaffAPI
    let pages: PageRenderer
    let throttle: SignInThrottle
    let unitNames = UnitNames()
    let trustedProxies: TrustedProxies

    /// - Parameters:
    ///   - admin: the admin API whose routes the console calls.
    ///   - controlPlane: where sessions and passwords are kept.
    ///   - trustedProxies: the proxies whose `X-Forwarded-Proto` says whether a request came over TLS.
    public init(admin: AdminAPI, controlPlane: ControlPlane, trustedProxies: TrustedProxies) throws {
        let router = Router(context: APIRequestContext.self)
        admin.addStaffRoutes(to: router.group("v1"))
        self.controlPlane = controlPlane
        self.admin = admin
        self.api = StaffAPI(responder: router.buildResponder())
        self.pages = try PageRenderer(catalogue: Catalogue())
        self.throttle = SignInThrottle()
        self.trustedProxies = trustedProxies
    }

    public func addRoutes(to router: Router<APIRequestContext>) {
        let console = router.group("console").add(middleware: ConsoleErrorMiddleware(pages: pages))
        DashboardPage(console: self).addRoutes(to: console)
        console.get("static/{file}", use: staticFile)
        console.get("sign-in", use: signInPage)
        console.post("sign-in", use: signIn)
        console.post("sign-out") { request, context in try await signedInForm(request, context) { visitor, _ in try await signOut(request, visitor) }
        }
        console.post("language") { request, context in try await signedInForm(request, context) { try await language($0, fields: $1) } }
        console.get("invitation/{token}", use: invitationPage)
        console.post("invitation/{token}", use: acceptInvitation)
        MemberPages(console: self).addRoutes(to: console)
        UnitPages(console: self).addRoutes(to: console)
        ReportsPage(console: self).addRoutes(to: console)
        FeedbackPages(console: self).addRoutes(to: console)
        AuditPage(console: self).addRoutes(to: console)
        TeamsPage(console: self).addRoutes(to: console)
        TrainingPages(console: self).addRoutes(to: console)
        ActivityPages(console: self).addRoutes(to: console)
        UserPages(console: self).addRoutes(to: console)
        TwoStepPage(console: self).addRoutes(to: console)
        // Any other path under /console: the console's own 404 page, as for another district's record.
        console.get("**") { _, _ -> Response in throw ProblemDetails.notFound("no console page is here") }
    }

    // MARK: Signed-in pages

    /// Runs `page` for the person whose session the request's cookie names; anyone else goes to the sign-in page.
    func signedIn(_ request: Request, _ context: APIRequestContext, _ page: (Visitor) async throws -> Response) async throws -> Response {
        try await visit(request, context, posting: false) { visitor in try await page(visitor) }
    }

    /// Runs `page` with the fields of a form posted by the person whose session the request's cookie names, once the
    /// form's CSRF token is checked against that session (else 403, nothing done); without a session, 403.
    func signedInForm(
        _ request: Request,
        _ context: APIRequestContext,
        _ page: (Visitor, [String: String]) async throws -> Response
    ) async throws -> Response {
        try await visit(request, context, posting: true) { visitor in
            let fields = try await FormFields.read(request)
            guard let token = fields["_csrf"], token == visitor.csrf else {
                throw ProblemDetails.forbidden("the form's token is missing or stale: reload the page and send it again")
            }
            return try await page(visitor, fields)
        }
    }

    private func visit(
        _ request: Request,
        _ context: APIRequestContext,
        posting: Bool,
        _ page: (Visitor) async throws -> Response
    ) async throws -> Response {
        var context = context
        guard let secret = ConsoleSession.secret(of: request), let session = try await controlPlane.authenticate(session: secret) else {
            if posting {
                return pages.render("error", ["message": pages.catalogue.text("error_session_ended", "vi")], language: "vi", status: .forbidden)
            }
            let next =
                request.uri.path == "/console" ? "" : "?next=" + (request.uri.path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
            return PageRenderer.redirect(to: "/console/sign-in" + next)
        }
        context.identify(try await admin.caller(session.principal, context: context))
        let visitor = Visitor(context: context, language: session.language, session: secret)
        do {
            return try await page(visitor)
        } catch {
            let problem = ProblemMiddleware<APIRequestContext>.problem(for: error, request: request, logger: context.logger, routes: nil)
            return pages.problemPage(problem, frame: visitor.frame, language: visitor.language)
        }
    }

    // MARK: Sign-in

    @Sendable func signInPage(_ request: Request, context: APIRequestContext) async throws -> Response {
        let next = Self.localPath(FormFields.parse(request.uri.query ?? "")["next"])
        let guardToken = BearerToken.generate(prefix: "")
        return pages.render(
            "sign-in",
            ["next": next ?? "", "formToken": ConsoleSession.csrfToken(for: guardToken)],
            language: "vi",
            headers: [.setCookie: Self.signInGuardCookie(guardToken)]
        )
    }

    @Sendable func signIn(_ request: Request, context: APIRequestContext) async throws -> Response {
        let fields = try await FormFields.read(request)
        let name = (fields["name"] ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let next = Self.localPath(fields["next"]) ?? "/console"
        // The guard cookie set with the form: a form posted from another site cannot carry it (SameSite=Strict), so
        // no one is signed into someone else's account unawares.
        guard let guardToken = Self.signInGuard(of: request), fields["_form"] == ConsoleSession.csrfToken(for: guardToken) else {
            return pages.render("error", ["message": pages.catalogue.text("error_form_expired", "vi")], language: "vi", status: .forbidden)
        }
        let address = context.clientAddress?.description ?? "unknown"
        if let wait = throttle.wait(account: name, address: address) {
            let minutes = String(Int((wait / 60).rounded(.up)))
            let message = pages.catalogue.text("sign_in_throttled", "vi", ["minutes": minutes])
            var headers: HTTPFields = [:]
            headers[.retryAfter] = String(Int(wait.rounded(.up)))
            return pages.render(
                "sign-in",
                ["next": next, "error": message, "name": name, "formToken": fields["_form"] ?? ""],
                language: "vi",
                status: .tooManyRequests,
                headers: headers
            )
        }
        guard
            let signedIn = try await controlPlane.signIn(
                name: name,
                password: fields["password"] ?? "",
                code: fields["code"] ?? "",
                requestID: context.id
            )
        else {
            throttle.recordFailure(account: name, address: address)
            let message = pages.catalogue.text("sign_in_failed", "vi")
            return pages.render(
                "sign-in",
                ["next": next, "error": message, "name": name, "formToken": fields["_form"] ?? ""],
                language: "vi",
                status: .unauthorized
            )
        }
        let secure = ConsoleSession.cameOverTLS(request, context: context, trustedProxies: trustedProxies)
        var headers: HTTPFields = [.setCookie: ConsoleSession.cookie(signedIn.session, expiresAt: signedIn.expiresAt, secure: secure)]
        headers.append(HTTPField(name: .setCookie, value: Self.signInGuardCookie(nil)))
        return PageRenderer.redirect(to: next, headers: headers)
    }

    func signOut(_ request: Request, _ visitor: Visitor) async throws -> Response {
        try await controlPlane.endSession(visitor.session, actor: visitor.caller.actor)
        let secure = ConsoleSession.cameOverTLS(request, context: visitor.context, trustedProxies: trustedProxies)
        return PageRenderer.redirect(to: "/console/sign-in", headers: [.setCookie: ConsoleSession.cookie(nil, secure: secure)])
    }

    func language(_ visitor: Visitor, fields: [String: String]) async throws -> Response {
        let language = fields["language"] ?? ""
        guard Catalogue.languages.contains(language) else {
            throw ProblemDetails.invalidValue(field: "language", code: .unknownValue, "must be vi or en")
        }
        try await controlPlane.setLanguage(language, of: visitor.caller.principal.id, actor: visitor.caller.actor)
        return PageRenderer.redirect(to: Self.localPath(fields["next"]) ?? "/console")
    }

    // MARK: Invitations

    @Sendable func invitationPage(_ request: Request, context: APIRequestContext) async throws -> Response {
        let token = context.parameters.get("token") ?? ""
        guard let invited = try await controlPlane.invitedAccount(token: token) else {
            return pages.render("error", ["message": pages.catalogue.text("invitation_closed", "vi")], language: "vi", status: .notFound)
        }
        return pages.render("invitation", Self.invitationValues(invited), language: invited.language)
    }

    @Sendable func acceptInvitation(_ request: Request, context: APIRequestContext) async throws -> Response {
        let token = context.parameters.get("token") ?? ""
        let fields = try await FormFields.read(request)
        guard let invited = try await controlPlane.invitedAccount(token: token) else {
            return pages.render("error", ["message": pages.catalogue.text("invitation_closed", "vi")], language: "vi", status: .notFound)
        }
        let password = fields["password"] ?? ""
        var values = Self.invitationValues(invited)
        guard password == fields["confirmation"] else {
            values["error"] = pages.catalogue.text("invitation_mismatch", invited.language)
            return pages.render("invitation", values, language: invited.language, status: .unprocessableContent)
        }
        do {
            guard try await controlPlane.acceptInvitation(token: token, password: password, requestID: context.id) != nil else {
                return pages.render(
                    "error",
                    ["message": pages.catalogue.text("invitation_closed", invited.language)],
                    language: invited.language,
                    status: .notFound
                )
            }
        } catch let error as ValidationError {
            values["error"] = pages.catalogue.text("password_\(error.code)", invited.language)
            return pages.render("invitation", values, language: invited.language, status: .unprocessableContent)
        }
        return PageRenderer.redirect(to: "/console/sign-in?welcome=1")
    }

    private static func invitationValues(_ invited: InvitedAccount) -> [String: Any] {
        ["name": invited.name, "displayName": invited.displayName ?? invited.name]
    }

    // MARK: Assets

    @Sendable func staticFile(_ request: Request, context: APIRequestContext) async throws -> Response {
        let file = context.parameters.get("file") ?? ""
        let types = ["css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8", "svg": "image/svg+xml"]
        guard file.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." }), !file.hasPrefix("."),
            let type = types[(file as NSString).pathExtension],
            let url = Bundle.module.url(
                forResource: (file as NSString).deletingPathExtension,
                withExtension: (file as NSString).pathExtension,
                subdirectory: "static"
            ),
            let data = try? Data(contentsOf: url)
        else {
            throw ProblemDetails.notFound("no console file is named \(file)")
        }
        var headers = PageRenderer.securityHeaders
        headers[.contentType] = type
        headers[.cacheControl] = "public, max-age=3600"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    // MARK: Helpers

    /// The registry's names of the unit codes a page shows (see ``UnitNames``).
    func unitLabels(_ codes: some Sequence<String>, _ visitor: Visitor) async throws -> [String: String] {
        try await unitNames.labels(codes, api: api, visitor: visitor)
    }

    /// A path on this console to go back to after signing in; anything else (another site, a scheme) is dropped.
    static func localPath(_ text: String?) -> String? {
        guard let text, text.hasPrefix("/console"), !text.hasPrefix("//"), !text.contains("\\"), !text.contains("\r"), !text.contains("\n") else {
            return nil
        }
        return text
    }

    private static let signInGuardName = "cds_sign_in"

    private static func signInGuardCookie(_ token: String?) -> String {
        "\(signInGuardName)=\(token ?? ""); Path=/console; HttpOnly; SameSite=Strict; Max-Age=\(token == nil ? 0 : 3600)"
    }

    private static func signInGuard(of request: Request) -> String? {
        ConsoleSession.cookie(named: signInGuardName, in: request)
    }
}
