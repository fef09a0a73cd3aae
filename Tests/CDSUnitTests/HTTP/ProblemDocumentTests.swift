import CDSCore
import Foundation
import Testing

@testable import CDSHTTP

@Suite struct ProblemDocumentTests {
    @Test func aFieldAtFaultIsListedWithItsSnakeCaseCode() throws {
        let problem = ProblemDetails.invalidValue(field: "requests_per_minute", code: .outOfRange, "must be from 1 to 100,000")
        let document = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(problem)) as? [String: Any])
        #expect(document["status"] as? Int == 422)
        #expect(document["type"] as? String == "https://cds.sonla.gov.vn/problems/invalid-value")
        let errors = try #require(document["errors"] as? [[String: String]])
        #expect(errors == [["field": "requests_per_minute", "code": "out_of_range", "message": "must be from 1 to 100,000"]])
    }

    @Test(arguments: [
        ValidationError.Code.required, .tooLong, .invalidType, .unknownField, .null, .wrongLevel, .notFound, .invalidEncoding,
    ])
    func aProblemReadBackKeepsItsFieldErrors(code: ValidationError.Code) throws {
        let problem = ProblemDetails.badRequest("the body is wrong", errors: [ValidationError(field: "name", code: code, message: "is wrong")])
        let read = try JSONDecoder().decode(ProblemDetails.self, from: JSONEncoder().encode(problem))
        #expect(read.errors == problem.errors)
        #expect(read.statusCode == 400)
    }

    @Test func aCodeIsReadBackAsItWasWritten() throws {
        let document = Data(#"{"type":"t","title":"T","status":422,"errors":[{"field":"a","code":"made_up","message":"m"}]}"#.utf8)
        let read = try JSONDecoder().decode(ProblemDetails.self, from: document)
        #expect(read.errors?.first?.code.description == "made_up")
        #expect(read.errors?.first?.code != .invalid)
    }
}
