import ArgumentParser

/// `--dry-run` of every staff write: show what would change, change nothing.
struct DryRunOption: ParsableArguments {
    @Flag(name: .customLong("dry-run"), help: "Show what would change, and change nothing.")
    var enabled = false

    /// Prints `change` as what would happen, and whether to stop there.
    func stops(_ change: String) -> Bool {
        guard enabled else { return false }
        Console.print("would \(change) (dry run: nothing changed)")
        return true
    }
}
