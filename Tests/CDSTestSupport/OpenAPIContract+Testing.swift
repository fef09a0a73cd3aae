import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

extension OpenAPIContract {
    /// Records, as an issue of the running test, every way `response` departs from the document.
    public func record(
        method: HTTPRequest.Method,
        uri: String,
        response: TestResponse,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let found = problems(
            method: method.rawValue,
            uri: uri,
            status: response.status.code,
            contentType: response.headers[.contentType],
            body: Data(buffer: response.body)
        )
        for problem in found {
            Issue.record("the answer departs from openapi.json: \(problem)", sourceLocation: sourceLocation)
        }
    }
}
