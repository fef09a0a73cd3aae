import ArgumentParser
import CDSServer
import Logging

/// `cds-server migrate`: the schema brought up to date as the owner, then exit; the step before `serve`.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending migrations as the database owner (CDS_DATABASE_OWNER_URL) and load the reference units, then exit."
    )

    @OptionGroup var settings: SettingsOptions

    func run() async throws {
        let (_, serverConfiguration) = try settings.load()
        serverConfiguration.logFormat.bootstrap(level: serverConfiguration.logLevel)
        do {
            let applied = try await Server.migrate(configuration: serverConfiguration, logger: Logger(label: "cds-server"))
            print(applied.isEmpty ? "the schema is current" : "migrated: \(applied.map(String.init).joined(separator: ", "))")
        } catch {
            throw exitReporting(error)
        }
    }
}
