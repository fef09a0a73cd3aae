import ArgumentParser

/// An object of the admin API that `cds-admin` shows by its id.
protocol ShownObject: TableRow, Decodable, Sendable {
    /// Its collection's path segment, e.g. `teams`.
    static var collection: String { get }
    /// What one is called, e.g. "team".
    static var noun: String { get }
}

/// `cds-admin … show ID`: one object, as its listing prints it.
struct ShowCommand<Item: ShownObject>: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "show", abstract: "Show one \(Item.noun).")
    }

    @OptionGroup var staff: StaffOptions
    @Argument(help: "The \(Item.noun)'s id.") var id: String

    @OptionGroup var output: OutputOption

    func run() async throws {
        let item = try await staff.client().get(try objectPath(Item.collection, id), as: Item.self)
        try Listing([item]).print(output)
    }
}
