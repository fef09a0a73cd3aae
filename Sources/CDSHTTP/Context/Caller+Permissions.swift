import CDSCore
import CDSDatabase
import Foundation

extension Caller {
    /// For a change to an object of `commune`: a 404 when the caller cannot even read it (it answers as if the object did
    /// not exist, like another district's), a 403 when it can read but not change it.
    package func requireToChange(_ change: Permission, readable read: Permission, on commune: Int, missing: @autoclosure () -> String) throws {
        guard policy.permits(read, on: commune) else { throw ProblemDetails.notFound(missing()) }
        guard policy.permits(change, on: commune) else {
            throw ProblemDetails.forbidden("this needs the permission \(change.rawValue) on unit \(commune)")
        }
    }
}

extension Caller {
    /// The districts a province-level principal (a sync client, a partner app) is given: codes, or `["all"]` (nil).
    package func districts(_ values: [String]) throws -> Set<TenantID>? {
        if values == ["all"] { return nil }
        guard !values.isEmpty else {
            throw ProblemDetails.invalidValue(field: "districts", code: .required, "name at least one district, or [\"all\"]")
        }
        var districts: Set<TenantID> = []
        for value in values {
            guard let code = Int(value), value.allSatisfy(\.isNumber), policy.level(of: code) == .district else {
                throw ProblemDetails.invalidValue(field: "districts", code: .unknownValue, "'\(value)' is not a district's code")
            }
            districts.insert(TenantID(code))
        }
        return districts
    }
}
