import ArgumentParser

/// What `cds-admin` disables and enables by name: staff accounts, partner apps, sync clients.
protocol StatusToggled {
    static var disableAbstract: String { get }
    static var enableAbstract: String { get }
    /// The name's value name in the commands' help, e.g. `username`.
    static var nameArgument: String { get }

    /// Makes the one named `name` `status` (`active` or `disabled`).
    static func setStatus(_ status: String, of name: String, staff: StaffChangeOptions) async throws
}

extension StatusToggled {
    static var nameArgument: String { "name" }
}

/// A status that `cds-admin … disable|enable NAME` sets.
protocol ToggledStatus {
    static var commandName: String { get }
    static var status: String { get }
    static func abstract<Kind: StatusToggled>(of kind: Kind.Type) -> String
}

enum Disabling: ToggledStatus {
    static let commandName = "disable"
    static let status = "disabled"
    static func abstract<Kind: StatusToggled>(of kind: Kind.Type) -> String { kind.disableAbstract }
}

enum Enabling: ToggledStatus {
    static let commandName = "enable"
    static let status = "active"
    static func abstract<Kind: StatusToggled>(of kind: Kind.Type) -> String { kind.enableAbstract }
}

/// `cds-admin users|partners|sync-clients disable|enable NAME`.
struct StatusCommand<Kind: StatusToggled, Status: ToggledStatus>: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: Status.commandName, abstract: Status.abstract(of: Kind.self))
    }

    @OptionGroup var staff: StaffChangeOptions
    @Argument(help: ArgumentHelp(valueName: Kind.nameArgument)) var name: String

    func run() async throws { try await Kind.setStatus(Status.status, of: name, staff: staff) }
}
