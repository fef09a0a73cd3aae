import Foundation

/// Numbers and dates as Vietnamese write them: thousands grouped with dots (`15.301`), dates `dd/MM/yyyy`.
enum VietnameseFormat {
    static func number(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped.append(".") }
            grouped.append(digit)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    /// A share as a whole percentage, with a decimal comma when it is not whole (`87,5%`).
    static func percent(_ part: Int, of whole: Int) -> String {
        guard whole > 0 else { return "–" }
        let tenths = (part * 1000 + whole / 2) / whole
        return tenths % 10 == 0 ? "\(tenths / 10)%" : "\(tenths / 10),\(tenths % 10)%"
    }

    /// `2023-09-30` (the API's form) as `30/09/2023`; anything else as it is.
    static func date(_ iso: String?) -> String {
        guard let iso else { return "" }
        let parts = iso.prefix(10).split(separator: "-")
        guard parts.count == 3 else { return iso }
        return "\(parts[2])/\(parts[1])/\(parts[0])"
    }

    /// Today in Vietnam (UTC+7), `dd/MM/yyyy`.
    static func today() -> String {
        time(Date().formatted(.iso8601)).prefix(10).description
    }

    /// An RFC 3339 time as Vietnam's clock shows it (UTC+7, no daylight saving): `30/09/2023 14:05`.
    static func time(_ text: String) -> String {
        let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        guard let date = (try? Date(text, strategy: .iso8601)) ?? (try? Date(text, strategy: withFraction)) else { return text }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 7 * 3600)!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        let two = { (value: Int?) in String(format: "%02d", value ?? 0) }
        return "\(two(parts.day))/\(two(parts.month))/\(parts.year ?? 0) \(two(parts.hour)):\(two(parts.minute))"
    }

    /// `30/09/2023` or `2023-09-30` as the API's `2023-09-30`; nil when it is neither.
    static func isoDate(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: "/")
        if parts.count == 3, parts.allSatisfy({ $0.allSatisfy(\.isNumber) }), parts[2].count == 4 {
            let day = parts[0].count == 1 ? "0" + parts[0] : String(parts[0])
            let month = parts[1].count == 1 ? "0" + parts[1] : String(parts[1])
            return "\(parts[2])-\(month)-\(day)"
        }
        return trimmed.isEmpty ? nil : trimmed
    }
}
