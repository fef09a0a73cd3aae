import ArgumentParser

/// The options of a staff command that changes something: the server and token it changes it with, and `--dry-run`.
struct StaffChangeOptions: ParsableArguments {
    @OptionGroup var staff: StaffOptions
    @OptionGroup var dryRun: DryRunOption

    /// A client of the chosen server.
    func client() throws -> AdminClient {
        try staff.client()
    }
}
