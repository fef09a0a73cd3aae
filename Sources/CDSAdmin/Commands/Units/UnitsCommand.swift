import ArgumentParser

struct UnitsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "units",
        abstract: "Show units and keep the district's hamlets; import the national units (operators).",
        discussion: """
            tree, show, add-hamlet, import-hamlets, rename, move and retire are staff commands (through the admin API);
            import (the national units) is an operator command (database owner access).
            """,
        subcommands: [
            UnitsTreeCommand.self, UnitsStaffCommands.Show.self, UnitsStaffCommands.AddHamlet.self, UnitsStaffCommands.ImportHamlets.self,
            UnitsStaffCommands.Rename.self, UnitsStaffCommands.Move.self, UnitsStaffCommands.Retire.self, UnitsImportCommand.self,
        ]
    )
}
