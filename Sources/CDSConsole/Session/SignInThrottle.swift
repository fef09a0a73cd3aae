import Foundation
import Synchronization

/// Failed sign-ins, per account name and per client address: after `perAccount` failures for one name, or
/// `perAddress` from one address, within `window`, sign-in is refused there until the oldest failure ages out.
/// Kept per server; a password guesser spread over several servers meets each one's limit.
final class SignInThrottle: Sendable {
    let perAccount: Int
    let perAddress: Int
    let window: TimeInterval
    private let failures = Mutex<[String: [Date]]>([:])

    init(perAccount: Int = 5, perAddress: Int = 20, window: TimeInterval = 15 * 60) {
        self.perAccount = perAccount
        self.perAddress = perAddress
        self.window = window
    }

    /// How long until `account` may try again from `address`, or nil when it may now.
    func wait(account: String, address: String, now: Date = Date()) -> TimeInterval? {
        failures.withLock { failures in
            let waits = [("account:" + account.lowercased(), perAccount), ("address:" + address, perAddress)].compactMap { key, limit in
                let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
                return recent.count >= limit ? window - now.timeIntervalSince(recent[recent.count - limit]) : nil
            }
            return waits.max()
        }
    }

    func recordFailure(account: String, address: String, now: Date = Date()) {
        failures.withLock { failures in
            for key in ["account:" + account.lowercased(), "address:" + address] {
                failures[key] = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window } + [now]
            }
            // A flood of made-up names must not grow the table without end.
            if failures.count > 100_000 { failures = failures.filter { $0.value.contains { now.timeIntervalSince($0) < window } } }
        }
    }
}
