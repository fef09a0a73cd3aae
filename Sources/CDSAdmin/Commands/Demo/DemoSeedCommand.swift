import ArgumentParser
import CDSDatabase
import CDSDemo

struct DemoSeedCommand: AsyncParsableCommand {
    enum Dataset: String, ExpressibleByArgument, CaseIterable {
        case sonla2023 = "sonla-2023"
    }

    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Generate hamlets, teams and members that reproduce a province's establishment table.",
        discussion: """
            sonla-2023: Sơn La's table of 30 Sep 2023 (2,990 teams, 15,301 members, 123 hamlets without a team), on top of
            the reference units. Deterministic and re-runnable: a second run adds nothing.
            """
    )

    @Argument(help: "The dataset: \(Dataset.allCases.map(\.rawValue).joined(separator: ", ")).")
    var dataset: Dataset

    func run() async throws {
        let summary = try await OperatorDatabase.withApplication { database in
            try await DemoSeeder(database: database, dataset: dataset.rawValue, table: .sonLa2023(), referenceYear: 2023).run()
        }
        Console.print("Seeded \(dataset.rawValue): \(summary.hamlets) hamlets, \(summary.teams) teams, \(summary.members) members added.")
    }
}
