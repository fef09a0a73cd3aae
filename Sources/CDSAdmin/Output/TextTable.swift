/// A table aligned for a terminal.
///
/// Widths count characters (grapheme clusters), not bytes or scalars: Vietnamese text in NFC is one
/// column per letter, diacritics included, so "Thành phố Sơn La" lines up with "Huyện Mai Sơn".
struct TextTable {
    enum Alignment { case left, right }

    struct Column {
        var title: String
        var alignment: Alignment
    }

    var columns: [Column]
    var rows: [[String]] = []
    /// Rows printed after a rule, e.g. a total.
    var footer: [[String]] = []

    func render() -> String {
        let all = [columns.map(\.title)] + rows + footer
        let widths = columns.indices.map { index in all.map { $0[index].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            zip(cells, zip(columns, widths)).map { cell, column in
                let (spec, width) = column
                let padding = String(repeating: " ", count: width - cell.count)
                return spec.alignment == .left ? cell + padding : padding + cell
            }
            .joined(separator: "  ")
            .trimmingTrailingSpaces()
        }
        let rule = widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")
        var lines = [line(columns.map(\.title)), rule] + rows.map(line)
        if !footer.isEmpty { lines += [rule] + footer.map(line) }
        return lines.joined(separator: "\n")
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
