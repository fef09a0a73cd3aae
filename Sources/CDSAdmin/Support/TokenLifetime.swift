import ArgumentParser
import Foundation

/// A token's lifetime as people write it: `90d`, `12h`, `30m`, or `never`.
struct TokenLifetime: ExpressibleByArgument, Sendable {
    let seconds: TimeInterval?

    init?(argument: String) {
        if argument == "never" {
            seconds = nil
            return
        }
        guard let unit = argument.last, let count = Int(argument.dropLast()), count > 0, count <= 3650 * 24 * 60 else { return nil }
        switch unit {
        case "d": seconds = TimeInterval(count) * 86_400
        case "h": seconds = TimeInterval(count) * 3_600
        case "m": seconds = TimeInterval(count) * 60
        default: return nil
        }
    }

    func expiry(from now: Date = Date()) -> Date? {
        seconds.map { now.addingTimeInterval($0) }
    }

    static var defaultValueDescription: String { "90d" }
}
