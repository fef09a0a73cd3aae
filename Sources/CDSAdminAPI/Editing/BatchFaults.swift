import CDSCore
import CDSHTTP

/// The faults of a batch's items (an import), gathered over all of them and answered at once: each names its
/// item, `members[3].phone`, so that the author of a file can fix every line before sending it again.
struct BatchFaults {
    /// The body's key of the items, e.g. `members`.
    let key: String
    private(set) var errors: [ValidationError] = []
    private var forbidden = false

    init(key: String) {
        self.key = key
    }

    mutating func add(_ index: Int, field: String, code: ValidationError.Code, _ message: String) {
        errors.append(.init(field: "\(key)[\(index)].\(field)", code: code, message: message))
        if code == .forbidden { forbidden = true }
    }

    /// Runs one item's checks, recording what they refuse: the problem's own field errors, or, for a refusal
    /// without any (a 404, a 403), `field` with a code from the status.
    mutating func collect(_ index: Int, field: String = "", _ check: () throws -> Void) {
        do {
            try check()
        } catch let problem as ProblemDetails {
            guard let fieldErrors = problem.errors, !fieldErrors.isEmpty else {
                let code: ValidationError.Code =
                    switch problem.statusCode {
                    case 403: .forbidden
                    case 404: .notFound
                    case 409: .conflict
                    default: .invalid
                    }
                return add(index, field: field, code: code, problem.detail ?? problem.title)
            }
            for error in fieldErrors { add(index, field: error.field, code: error.code, error.message) }
        } catch {
            add(index, field: field, code: .invalid, "\(error)")
        }
    }

    /// Faults of well-formed items that meet the state of the data: what a single write answers with 404 or 409.
    static let stateCodes: Set<ValidationError.Code> = [.notFound, .conflict, .duplicate, .dissolved]

    /// Every fault listed, whatever the status: a 403 when an item reaches where the caller may not write; a 422 when
    /// a value is malformed; else, every item well-formed but at odds with the data (an unknown team, a second
    /// leader, a name the commune has), a 409.
    func throwIfAny() throws {
        guard !errors.isEmpty else { return }
        let detail = "\(errors.count) \(errors.count == 1 ? "fault" : "faults") in the items of \(key); nothing was applied"
        if forbidden {
            throw ProblemDetails("forbidden", title: "Permission denied", status: .forbidden, detail: detail, errors: errors)
        } else if errors.allSatisfy({ Self.stateCodes.contains($0.code) }) {
            throw ProblemDetails("conflict", title: "Conflict", status: .conflict, detail: detail, errors: errors)
        } else {
            throw ProblemDetails("invalid-value", title: "Invalid value", status: .unprocessableContent, detail: detail, errors: errors)
        }
    }
}
