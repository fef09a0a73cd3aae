import CDSCore
import CDSDatabase
import Foundation

extension Caller {
    /// Whether the caller may see and manage `account`: itself, an account without grants yet, or one with a
    /// grant inside a subtree where the caller holds `users.manage`.
    func manages(_ account: StaffAccount) -> Bool {
        guard policy.permitsSomewhere(.usersManage) else { return false }
        return account.grants.isEmpty || account.grants.contains { policy.permits(.usersManage, on: $0.unitCode) }
    }

    func sees(_ account: StaffAccount) -> Bool {
        account.id == principal.id || manages(account)
    }

    func requirePermissionSomewhere(_ permission: Permission) throws {
        guard policy.permitsSomewhere(permission) else {
            throw ProblemDetails.forbidden("this needs the permission \(permission.rawValue)")
        }
    }
}
