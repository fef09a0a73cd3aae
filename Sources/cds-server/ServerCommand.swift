import ArgumentParser

/// Thin on purpose: read the command line and the configuration, then hand over to the CDSServer library.
@main
struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cds-server",
        abstract: "The community digital technology teams' server: admin API, partner feedback APIs and roster sync.",
        discussion: "Settings come from the environment and, under it, from --config FILE (NAME=value lines); README lists them all.",
        subcommands: [ServeCommand.self, MigrateCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}
