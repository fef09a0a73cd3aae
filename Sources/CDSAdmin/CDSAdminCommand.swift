import ArgumentParser
import CDSCore
import CDSDatabase
import CDSDemo

/// `cds-admin`, the command-line tool of district IT staff and operators.
public struct CDSAdminCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "cds-admin",
        abstract: "Administer the community digital technology team registry.",
        discussion: """
            Staff commands call a running server's admin API with a token, so that its permissions, tenant scope and \
            audit apply to them as to any client: `cds-admin login --server URL` keeps a profile; CDS_SERVER and \
            CDS_TOKEN override it; --profile chooses another.

            Operator commands need database-owner access: they use CDS_DATABASE_URL and CDS_DATABASE_OWNER_URL, or, \
            when CDS_DATABASE_URL is unset, the embedded PostgreSQL cluster in CDS_DATA_DIR (default .cds).

            Exit codes: 0 ok, 1 error, 2 usage, 3 permission denied, 4 not found, 5 conflict.

            Shell completion: cds-admin --generate-completion-script bash|zsh|fish
            """,
        groupedSubcommands: [
            CommandGroup(
                name: "Staff commands (through the admin API, as the logged-in user)",
                subcommands: [
                    LoginCommand.self, WhoamiCommand.self, UsersCommand.self, RolesCommand.self, GrantsCommand.self, GrantCommand.self,
                    RevokeCommand.self, TokensCommand.self, TeamsCommand.self, MembersCommand.self,
                    TrainingsCommand.self, ActivitiesCommand.self, UnitsCommand.self, ReportCommand.self, SyncClientsCommand.self,
                    PartnersCommand.self, FeedbackCommand.self, AuditCommand.self,
                ]
            ),
            CommandGroup(
                name: "Roster sync client (gRPC over mutual TLS, as a registered sync client)",
                subcommands: [SyncCommand.self]
            ),
            CommandGroup(
                name: "Operator commands (database owner access)",
                subcommands: [DBCommand.self, BootstrapCommand.self, DemoCommand.self]
            ),
        ]
    )

    public init() {}

    /// Parses `arguments`, runs the command, and returns the process exit code; errors are printed as
    /// one line that says what is wrong, never a stack trace.
    public static func run(arguments: [String]) async -> Int32 {
        do {
            var command = try parseAsRoot(arguments)
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
            return 0
        } catch let error as AdminError {
            Console.printError("cds-admin: \(error.message)")
            return error.exitCode
        } catch let error as ImportError {
            Console.printError("cds-admin: \(error)")
            return 1
        } catch let error as DatabaseError {
            Console.printError("cds-admin: \(error.message)")
            return 1
        } catch let error as EmbeddedPostgresError {
            Console.printError("cds-admin: \(error.message)")
            return 1
        } catch let error as CDSCore.ValidationError {
            Console.printError("cds-admin: \(error)")
            return 1
        } catch let error as ControlPlaneError {
            Console.printError("cds-admin: \(error.message)")
            return error.code == .conflict ? 5 : error.code == .notFound ? 4 : 1
        } catch let error as DemoSeeder.SeedError {
            Console.printError("cds-admin: \(error)")
            return 1

        } catch {
            let code = exitCode(for: error)
            if code.isSuccess {
                Console.print(fullMessage(for: error))
                return 0
            }
            if code == .validationFailure {
                Console.printError(fullMessage(for: error))
                return 2
            }
            Console.printError("cds-admin: \(operatorDescription(of: error) ?? message(for: error))")
            return code.rawValue
        }
    }
}
