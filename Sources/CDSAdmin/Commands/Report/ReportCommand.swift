import ArgumentParser

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Print reports computed from the registry.",
        subcommands: [ReportEstablishmentCommand.self]
    )
}
