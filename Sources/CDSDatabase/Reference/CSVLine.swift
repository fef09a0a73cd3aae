import Foundation

/// One RFC 4180 CSV line: fields quoted only when they hold a comma, a quote or a line break.
///
/// A cell that a spreadsheet would read as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return)
/// is written with a leading `'`, so that a team named `=HYPERLINK(…)` stays text when an officer opens the file in
/// Excel or LibreOffice; ``CSVTable`` drops that `'` again when the file is read back.
public enum CSVLine {
    /// The first characters that make a spreadsheet evaluate a cell.
    static let formulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

    public static func encode(_ fields: [String]) -> String {
        fields.map { field in
            let cell = neutralised(field)
            return cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
        }
        .joined(separator: ",")
    }

    /// `field` with a `'` before it when a spreadsheet would take it for a formula.
    static func neutralised(_ field: String) -> String {
        field.first.map(formulaStarts.contains) == true ? "'" + field : field
    }

    /// `cell` without the `'` that ``neutralised(_:)`` put before a formula-like value.
    public static func restored(_ cell: String) -> String {
        cell.first == "'" && cell.dropFirst().first.map(formulaStarts.contains) == true ? String(cell.dropFirst()) : cell
    }
}
