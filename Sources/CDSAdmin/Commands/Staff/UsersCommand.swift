import ArgumentParser
import CDSWire
import Foundation

/// `cds-admin users add|list|disable|enable|invite|reset-password|reset-two-step`: staff accounts, through the admin API
/// (`users.manage`).
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Add, list, disable and enable staff accounts; invite their people to the web console.",
        subcommands: [Add.self, List.self, Disable.self, Enable.self, Invite.self, ResetPassword.self, ResetTwoStep.self]
    )

    typealias List = ListCommand<Wire.User>
    typealias Disable = StatusCommand<Wire.User, Disabling>
    typealias Enable = StatusCommand<Wire.User, Enabling>

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a staff account (then grant it a role).")

        @OptionGroup var staff: StaffChangeOptions

        @Argument(help: "The account name: lowercase letters, digits, '.', '_' or '-'.")
        var username: String

        @Option(help: "The person's name, as shown to others.")
        var displayName: String?

        @Option(help: "The GSO code of the province, district or commune the account belongs to; it is managed from there.")
        var unit: String

        func run() async throws {
            let client = try staff.client()
            if staff.dryRun.stops("add the user \(username) in unit \(unit)") { return }
            let body = try AdminClient.body(["name": username, "display_name": displayName, "home_unit_code": unit])
            let user = try await client.send(.POST, "/v1/users", json: body).decode(Wire.User.self)
            let id = user.id.lowercased
            Console.printError("added \(user.name) (\(id)); next: cds-admin grant ROLE --user \(user.name) --unit CODE")
        }
    }

    struct Invite: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a link with which the account's person chooses a password for the web console.",
            discussion: "The link works once, for 48 hours; a new one replaces it. Give it to the person only."
        )

        @OptionGroup var staff: StaffChangeOptions
        @Argument var username: String

        func run() async throws { try await UsersCommand.issueLink(for: username, saying: "invite", staff: staff) }
    }

    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-password",
            abstract: "Print a new link with which the account's person chooses a new password.",
            discussion: "The old password works until the link is used; then every console session of the account ends."
        )

        @OptionGroup var staff: StaffChangeOptions
        @Argument var username: String

        func run() async throws { try await UsersCommand.issueLink(for: username, saying: "reset the password of", staff: staff) }
    }

    struct ResetTwoStep: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-two-step",
            abstract: "Remove an account's two-step sign-in, when its person lost the phone with the authenticator app.",
            discussion: "The next console sign-in needs the password alone; the person can turn two-step sign-in on again."
        )

        @OptionGroup var staff: StaffChangeOptions
        @Argument var username: String

        func run() async throws {
            let client = try staff.client()
            let user = try await client.user(named: username)
            if staff.dryRun.stops("remove the two-step sign-in of \(username)") { return }
            _ = try await client.send(.DELETE, "/v1/users/\(user.id.lowercased)/two-step")
            Console.printError("\(username) now signs in to the console with the password alone")
        }
    }

    /// Prints the invitation link on stdout (for a script to pass on) and its expiry on stderr.
    static func issueLink(for username: String, saying action: String, staff: StaffChangeOptions) async throws {
        let client = try staff.client()
        let user = try await client.user(named: username)
        if staff.dryRun.stops("\(action) \(username): issue a link for the console") { return }
        let invitation = try await client.send(.POST, "/v1/users/\(user.id.lowercased)/invitations")
            .decode(Wire.Invitation.self)
        Console.print(client.server.absoluteString + invitation.path)
        Console.printError("the link works once, until \(invitation.expiresAt), for \(username) only")
    }
}

extension Wire.User: StatusToggled {
    static let disableAbstract = "Disable an account: its tokens are refused at once."
    static let enableAbstract = "Enable a disabled account again."
    static let nameArgument = "username"

    static func setStatus(_ status: String, of username: String, staff: StaffChangeOptions) async throws {
        let client = try staff.client()
        let user = try await client.user(named: username)
        guard user.status != status else {
            Console.printError("\(username) is \(status) already")
            return
        }
        if staff.dryRun.stops("set \(username) from \(user.status) to \(status)") { return }
        _ = try await client.send(.PATCH, "/v1/users/\(user.id.lowercased)", json: try AdminClient.body(["status": status]))
        Console.printError("\(username) is \(status)")
    }
}

extension Wire.User: ListedCollection {
    static let route = "/v1/users"
    static let listAbstract = "List the accounts you manage."
    static let columns: [TextTable.Column] = [.left("name"), .left("display name"), .left("status"), .left("home"), .left("grants")]

    var cells: [String] {
        [name, displayName ?? "", status, homeUnitCode, grants.map { "\($0.role)@\($0.unitCode)" }.joined(separator: " ")]
    }
}
