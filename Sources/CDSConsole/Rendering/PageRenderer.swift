import CDSHTTP
import Foundation
import HTTPTypes
import Hummingbird
import Mustache

/// Renders the console's Mustache templates into HTML responses with the console's security headers.
///
/// Mustache escapes every `{{value}}` for HTML, so a name from the registry is shown as text whatever it holds; no
/// page is assembled by concatenating strings.
package struct PageRenderer: Sendable {
    let library: MustacheLibrary
    let catalogue: Catalogue

    /// No script or style from anywhere but the console itself, no inline script, no framing, and forms posted only
    /// back to the console. `Referrer-Policy: no-referrer` keeps an invitation link's secret out of other sites' logs.
    static let securityHeaders: HTTPFields = [
        .contentSecurityPolicy:
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        HTTPField.Name("X-Frame-Options")!: "DENY",
        HTTPField.Name("X-Content-Type-Options")!: "nosniff",
        HTTPField.Name("Referrer-Policy")!: "no-referrer",
        .cacheControl: "no-store",
    ]

    init(catalogue: Catalogue) throws {
        var library = MustacheLibrary()
        for (file, source) in try Self.templateSources() where file.hasSuffix(".mustache") {
            try library.register(source, named: String(file.dropLast(".mustache".count)))
        }
        self.library = library
        self.catalogue = catalogue
    }

    /// The templates' text by file name: what is rendered, and what the test reads for the `{{t.key}}` it uses.
    package static func templateSources() throws -> [String: String] {
        guard let directory = Bundle.module.url(forResource: "templates", withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "templates"])
        }
        var sources: [String: String] = [:]
        for file in try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil) {
            sources[file.lastPathComponent] = try String(contentsOf: file, encoding: .utf8)
        }
        return sources
    }

    /// The values of a record a page shows where each line appears only when it has a value: nil and empty texts
    /// are left out, since a Mustache section takes an empty text as present.
    static func present(_ values: [String: Any?]) -> [String: Any] {
        values.compactMapValues { value in
            guard let value, !((value as? String)?.isEmpty ?? false) else { return nil }
            return value
        }
    }

    /// `template` with `values`, the words of `language` as `t` and the language itself as `lang`.
    func render(
        _ template: String,
        _ values: [String: Any],
        language: String,
        status: HTTPResponse.Status = .ok,
        headers extra: HTTPFields = [:]
    ) -> Response {
        var object = values
        object["t"] = catalogue.words(language)
        object["lang"] = language
        object["english"] = language == "en"
        let html = library.render(object, withTemplate: template) ?? ""
        var headers = Self.securityHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// A form page: `template` with `values`, and when the API refused what was sent, its `problem` in words above
    /// the form (the fields at fault listed) with the refusal's status. A `problem` text already in `values` is the
    /// page's own, better, words for it.
    func renderForm(_ template: String, _ values: [String: Any], language: String, problem: ProblemDetails?) -> Response {
        guard let problem else { return render(template, values, language: language) }
        let described = values.merging(FieldProblems.values(problem, language: language, catalogue: catalogue)) { own, _ in own }
        return render(template, described, language: language, status: problem.status)
    }

    /// A problem as a page in `language`: 404s alike whether the thing is missing or another district's, the fields
    /// at fault listed.
    func problemPage(_ problem: ProblemDetails, frame: [String: Any]?, language: String) -> Response {
        let known = [400, 401, 403, 404, 409, 412, 413, 422, 428, 429, 503]
        let key = known.contains(problem.statusCode) ? "problem_\(problem.statusCode)" : "problem_other"
        var values = frame ?? [:]
        values["message"] = catalogue.text(key, language)
        let fields = FieldProblems.describe(problem, language: language, catalogue: catalogue)
        values["fields"] = fields
        values["hasFields"] = !fields.isEmpty
        var headers: HTTPFields = [:]
        if let retry = problem.headerValue(.retryAfter) { headers[.retryAfter] = retry }
        return render("error", values, language: language, status: problem.status, headers: headers)
    }

    /// A redirect after a form (303, so that reloading the page does not post again).
    static func redirect(to location: String, headers extra: HTTPFields = [:]) -> Response {
        var headers = securityHeaders
        headers[.location] = location
        headers.append(contentsOf: extra)
        return Response(status: .seeOther, headers: headers)
    }
}
