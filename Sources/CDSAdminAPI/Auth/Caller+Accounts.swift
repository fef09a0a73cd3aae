import CDSCore
import CDSDatabase
import Foundation

extension Caller {
    /// Whether the caller may see and manage `account`: it holds `users.manage` over the account's home unit and
    /// over every unit the account's grants reach.
    func manages(_ account: StaffAccount) -> Bool {
        policy.manages(home: account.homeUnitCode, grants: account.grants.map(\.accessGrant))
    }

    /// Whether the caller may act as `account` through a token issued for it: it manages the account and holds
    /// everything the account holds. The database checks the same (`cds.covers`) when the token is issued, and
    /// revokes the token when it no longer holds.
    func mayActAs(_ account: StaffAccount) -> Bool {
        account.id == principal.id || (manages(account) && policy.holdsEverything(given: account.grants.map(\.accessGrant)))
    }

    func sees(_ account: StaffAccount) -> Bool {
        account.id == principal.id || manages(account)
    }

    package func requirePermissionSomewhere(_ permission: Permission) throws {
        guard policy.permitsSomewhere(permission) else {
            throw ProblemDetails.forbidden("this needs the permission \(permission.rawValue)")
        }
    }
}

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
            throw ProblemDetails.invalidValue(field: "districts", code: "required", "name at least one district, or [\"all\"]")
        }
        var districts: Set<TenantID> = []
        for value in values {
            guard let code = Int(value), value.allSatisfy(\.isNumber), policy.level(of: code) == .district else {
                throw ProblemDetails.invalidValue(field: "districts", code: "unknown_value", "'\(value)' is not a district's code")
            }
            districts.insert(TenantID(code))
        }
        return districts
    }
}
