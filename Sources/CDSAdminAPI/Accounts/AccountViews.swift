import CDSDatabase
import CDSWire
import Foundation
import Hummingbird

// Staff accounts, grants and tokens as the admin API answers them: the shapes are ``Wire/User``, ``Wire/Grant`` and
// ``Wire/Token``; these build them from the control plane's records.

extension Wire.User {
    init(_ account: StaffAccount) {
        self.init(
            id: account.id,
            name: account.name,
            displayName: account.displayName,
            status: account.status,
            homeUnitCode: String(account.homeUnitCode),
            createdAt: account.createdAt.formatted(.iso8601),
            grants: account.grants.map { Wire.Grant(id: $0.id, userID: account.id, role: $0.role, unitCode: String($0.unitCode)) }
        )
    }
}

extension Wire.Token {
    /// The token's metadata; `secret` only in the answer that issues it.
    init(_ record: TokenRecord, secret: String? = nil) {
        self.init(
            id: record.id,
            userID: record.principalID,
            label: record.label,
            createdAt: record.createdAt.formatted(.iso8601),
            expiresAt: record.expiresAt?.formatted(.iso8601),
            revokedAt: record.revokedAt?.formatted(.iso8601),
            token: secret
        )
    }
}
