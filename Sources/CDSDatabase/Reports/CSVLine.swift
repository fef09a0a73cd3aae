import Foundation

/// One RFC 4180 CSV line: fields quoted only when they hold a comma, a quote or a line break.
public enum CSVLine {
    public static func encode(_ fields: [String]) -> String {
        fields.map { field in
            field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
        }
        .joined(separator: ",")
    }
}
