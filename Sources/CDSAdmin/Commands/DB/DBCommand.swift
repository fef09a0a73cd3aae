import ArgumentParser

struct DBCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Migrate the schema, show its status, run the embedded cluster, print its URL.",
        subcommands: [DBMigrateCommand.self, DBStatusCommand.self, DBStartCommand.self, DBStopCommand.self, DBURLCommand.self]
    )
}
