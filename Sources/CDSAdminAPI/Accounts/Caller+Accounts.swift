import CDSCore
import CDSDatabase
import CDSHTTP
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
}
