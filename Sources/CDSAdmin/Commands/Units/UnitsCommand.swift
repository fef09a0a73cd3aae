import ArgumentParser

struct UnitsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "units",
        abstract: "Show units and keep the district's hamlets; import the national units (operators).",
        discussion: """
            show, add-hamlet, rename, move and retire are staff commands (through the admin API);
            import and tree are operator commands (database owner access).
            """,
        subcommands: [
            UnitsStaffCommands.Show.self, UnitsStaffCommands.AddHamlet.self, UnitsStaffCommands.Rename.self, UnitsStaffCommands.Move.self,
            UnitsStaffCommands.Retire.self, UnitsImportCommand.self, UnitsTreeCommand.self,
        ]
    )
}
