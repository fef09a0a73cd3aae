import ArgumentParser

/// `-o/--output` of the commands that print a listing.
struct OutputOption: ParsableArguments {
    @Option(name: [.customShort("o"), .long], help: "table, csv or json.")
    var output: OutputFormat?

    /// Whether a line for people may go before the listing: not where CSV or JSON is asked for by name, which scripts read whole.
    var allowsHeading: Bool { output != .json && output != .csv }
}
