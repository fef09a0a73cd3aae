import CDSTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// A person at the console, in a route test: keeps the cookies the server sets and sends them back, and reads the
/// hidden form tokens off the pages it is shown.
final class ConsoleBrowser: @unchecked Sendable {
    let api: AdminAPITestCase
    private(set) var cookies: [String: String] = [:]

    init(_ api: AdminAPITestCase) {
        self.api = api
    }

    struct Page {
        let status: Int
        let html: String
        let headers: HTTPFields

        var location: String? { headers[.location] }

        /// The value of the hidden input `name` on the page.
        func hidden(_ name: String) -> String? {
            guard let range = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
            let rest = html[range.upperBound...]
            // As a browser reads the attribute: the template's escapes undone.
            return rest.firstIndex(of: "\"").map {
                String(rest[..<$0]).replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
                    .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                    .replacingOccurrences(of: "&amp;", with: "&")
            }
        }
    }

    func get(_ uri: String) async throws -> Page {
        try await send(.get, uri, form: nil)
    }

    /// Posts `fields` as an HTML form would.
    func post(_ uri: String, _ fields: [String: String]) async throws -> Page {
        try await send(.post, uri, form: fields)
    }

    /// Posts `fields` and the file `file` (its name, its bytes) as a form with a file input sends them without
    /// JavaScript: `multipart/form-data`.
    func postMultipart(_ uri: String, _ fields: [String: String], file: (name: String, bytes: [UInt8])) async throws -> Page {
        let boundary = "----console-test-boundary"
        var body = ByteBuffer()
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        body.writeString(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.name)\"; filename=\"sheet.csv\"\r\nContent-Type: text/csv\r\n\r\n"
        )
        body.writeBytes(file.bytes)
        body.writeString("\r\n--\(boundary)--\r\n")
        return try await send(.post, uri, body: body, contentType: "multipart/form-data; boundary=\(boundary)")
    }

    private func send(_ method: HTTPRequest.Method, _ uri: String, form: [String: String]?) async throws -> Page {
        guard let form else { return try await send(method, uri, body: nil, contentType: nil) }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let body = ByteBuffer(
            string: form.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&")
        )
        return try await send(method, uri, body: body, contentType: "application/x-www-form-urlencoded")
    }

    private func send(_ method: HTTPRequest.Method, _ uri: String, body: ByteBuffer?, contentType: String?) async throws -> Page {
        var headers = HTTPFields()
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ") }
        if let contentType { headers[.contentType] = contentType }
        let page = try await api.client.execute(uri: uri, method: method, headers: headers, body: body) { response in
            Page(status: Int(response.status.code), html: String(buffer: response.body), headers: response.headers)
        }
        for cookie in page.headers[values: .setCookie] {
            let pair = cookie.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            if cookie.contains("Max-Age=0") || pair.count < 2 || pair[1].isEmpty {
                cookies[pair[0]] = nil
            } else {
                cookies[pair[0]] = pair[1]
            }
        }
        return page
    }

    /// Signs in as `name`: the sign-in page, then the form with its token.
    @discardableResult
    func signIn(_ name: String, password: String, code: String = "", next: String? = nil) async throws -> Page {
        let form = try await get("/console/sign-in" + (next.map { "?next=\($0)" } ?? ""))
        #expect(form.status == 200)
        var fields = ["name": name, "password": password, "code": code, "_form": form.hidden("_form") ?? ""]
        if let next = form.hidden("next"), !next.isEmpty { fields["next"] = next }
        return try await post("/console/sign-in", fields)
    }

    /// Gives the account `name` the password `password` through an invitation issued with its own token.
    static func choosePassword(_ api: AdminAPITestCase, account name: String, password: String) async throws {
        let me = try #require(try await api.get("/v1/me", as: name).json as? [String: Any])
        let issued = try await api.send(.post, "/v1/users/\(me["id"] as? String ?? "")/invitations", as: name)
        let path = try #require((issued.json as? [String: Any])?["path"] as? String)
        let browser = ConsoleBrowser(api)
        let page = try await browser.get(path)
        #expect(page.status == 200)
        let accepted = try await browser.post(path, ["password": password, "confirmation": password])
        #expect(accepted.status == 303)
    }
}
