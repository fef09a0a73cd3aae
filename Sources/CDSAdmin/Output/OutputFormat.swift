import ArgumentParser

/// How a listing or report is printed: an aligned table for people, CSV for spreadsheets, JSON for scripts.
enum OutputFormat: String, CaseIterable, ExpressibleByArgument, Sendable {
    case table, csv, json

    /// A table on a terminal, CSV when the output goes to a file or a pipe.
    static var automatic: OutputFormat { Console.outputIsTerminal ? .table : .csv }
}
