import CDSCore
import CDSDatabase

extension ProblemDetails {
    /// A value that cannot be normalised: 422 with the field at fault.
    package init(validationError error: ValidationError) {
        self.init(
            "invalid-value",
            title: "Invalid value",
            status: .unprocessableContent,
            detail: error.description,
            errors: [error]
        )
    }

    /// Runs a domain check, turning its ``ValidationError`` into a 422.
    package static func validating<Value>(_ check: () throws -> Value) throws -> Value {
        do {
            return try check()
        } catch let error as ValidationError {
            throw ProblemDetails(validationError: error)
        }
    }

    /// Runs a control-plane change, turning its ``ControlPlaneError`` into the problem it stands for, blamed on
    /// `field` where it names one.
    package static func controlPlane<Value>(field: String, _ change: () async throws -> Value) async throws -> Value {
        do {
            return try await change()
        } catch let error as ControlPlaneError {
            throw ProblemDetails(controlPlaneError: error, field: field)
        }
    }

    /// A control-plane refusal: 409 for a conflict, 404 for something missing, 403 for a change that would widen
    /// someone's reach past the caller's, 422 for a malformed value or a role at the wrong level.
    package init(controlPlaneError error: ControlPlaneError, field: String) {
        switch error.code {
        case .notPermitted:
            self = .forbidden(error.message)
        case .wrongLevel:
            self.init(
                "invalid-value",
                title: "Invalid value",
                status: .unprocessableContent,
                detail: error.message,
                errors: [.init(field: field, code: .wrongLevel, message: error.message)]
            )
        case .conflict:
            self.init("conflict", title: "Conflict", status: .conflict, detail: error.message)
        case .notFound:
            self.init("not-found", title: "Not found", status: .notFound, detail: error.message)
        default:
            self.init(
                "invalid-value",
                title: "Invalid value",
                status: .unprocessableContent,
                detail: error.message,
                errors: [.init(field: field, code: .invalidFormat, message: error.message)]
            )
        }
    }
}
