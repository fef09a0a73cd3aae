import ArgumentParser
import CDSDatabase

struct DBStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "List the migrations, applied and pending, and check applied files are unchanged."
    )

    func run() async throws {
        let statuses = try await OperatorDatabase.withMigrations { try await $0.status() }
        var table = TextTable(columns: [.right("Version"), .left("Name"), .left("Applied")])
        table.rows = statuses.map { [String($0.version), $0.name, $0.appliedAt ?? "pending"] }
        Console.print(table.render())
        let pending = statuses.filter { !$0.isApplied }.count
        Console.print(pending == 0 ? "\nUp to date." : "\n\(pending) pending: run `cds-admin db migrate`.")
    }
}
