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

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the roles.")

        @OptionGroup var staff: StaffOptions

        @OptionGroup var output: OutputOption

        func run() async throws {
            let roles = try await staff.client().get("/v1/roles", as: Wire.Page<Wire.Role>.self).items
            try Listing(columns: [.left("role"), .left("level"), .left("description"), .right("permissions")], items: roles) {
                [$0.name, $0.level, $0.description, String($0.permissions.count)]
            }
            .print(output)
        }
    }

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
