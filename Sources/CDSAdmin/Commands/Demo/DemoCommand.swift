import ArgumentParser

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Generate demonstration data.",
        subcommands: [DemoSeedCommand.self]
    )
}
