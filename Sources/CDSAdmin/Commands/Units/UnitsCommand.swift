import ArgumentParser

struct UnitsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "units",
        abstract: "Import national units and print the unit hierarchy.",
        subcommands: [UnitsImportCommand.self, UnitsTreeCommand.self]
    )
}
