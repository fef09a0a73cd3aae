import ArgumentParser
import CDSWire

/// A collection of the admin API that `cds-admin` lists whole, without filters.
protocol ListedCollection: TableRow, Decodable, Sendable {
    /// Its route, e.g. `/v1/roles`.
    static var route: String { get }
    /// The `list` command's abstract, e.g. "List the roles."
    static var listAbstract: String { get }
}

/// `cds-admin … list`: every item of a collection the caller may read.
struct ListCommand<Item: ListedCollection>: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "list", abstract: Item.listAbstract)
    }

    @OptionGroup var staff: StaffOptions

    @OptionGroup var output: OutputOption

    func run() async throws {
        let items = try await staff.client().get(Item.route, as: Wire.Page<Item>.self).items
        try Listing(items).print(output)
    }
}
