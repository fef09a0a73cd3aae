/// A table as the `table` partial draws it: column titles, and rows of cells, numbers aligned right.
///
/// Reports are shown this way on every page (the overview and the reports), so that a figure is laid out once.
struct TableModel {
    struct Column {
        let title: String
        var number = false
    }

    private(set) var columns: [Column]
    private var rows: [[String: Any]] = []

    init(_ columns: [Column]) {
        self.columns = columns
    }

    /// Appends a row of `cells`, one per column; `total` draws it as the table's total line.
    mutating func append(_ cells: [String], total: Bool = false) {
        let drawn = zip(columns, cells).map { column, text -> [String: Any] in ["text": text, "number": column.number] }
        rows.append(["cells": drawn, "total": total])
    }

    var isEmpty: Bool { rows.isEmpty }

    /// The values the partial reads.
    var values: [String: Any] {
        ["columns": columns.map { ["title": $0.title, "number": $0.number] }, "rows": rows, "empty": rows.isEmpty]
    }
}
