import ArgumentParser
import CDSDatabase

struct DBMigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply the pending migrations (safe to run from several processes at once)."
    )

    func run() async throws {
        let applied = try await OperatorDatabase.withMigrations { try await $0.migrate() }
        if applied.isEmpty {
            Console.print("The schema is up to date.")
        } else {
            for migration in applied { Console.print("applied \(migration.version) \(migration.name)") }
        }
    }
}
