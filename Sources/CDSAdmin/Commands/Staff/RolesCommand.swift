import ArgumentParser
import CDSWire
import Foundation

/// `cds-admin roles list|show ROLE`: what each role lets its holder do.
struct RolesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roles",
        abstract: "List the roles, or show one role's permissions.",
        subcommands: [List.self, Show.self]
    )

    typealias List = ListCommand<Wire.Role>

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a role's permissions.")

        @OptionGroup var staff: StaffOptions

        @Argument(help: "The role, e.g. commune_officer.")
        var role: String

        @OptionGroup var output: OutputOption

        func run() async throws {
            guard role.allSatisfy({ $0.isLetter || $0 == "_" }), role.count <= 64 else {
                throw AdminError.usage("'\(role)' is not a role name: `cds-admin roles list` shows them")
            }
            let found = try await staff.client().get("/v1/roles/\(role)", as: Wire.Role.self)
            try Listing(columns: [.left("permission")], items: found.permissions) { [$0] }.print(output)
        }
    }
}

extension Wire.Role: ListedCollection {
    static let route = "/v1/roles"
    static let listAbstract = "List the roles."
    static let columns: [TextTable.Column] = [.left("role"), .left("level"), .left("description"), .right("permissions")]

    var cells: [String] { [name, level, description, String(permissions.count)] }
}
