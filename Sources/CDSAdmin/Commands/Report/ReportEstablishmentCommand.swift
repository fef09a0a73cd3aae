import ArgumentParser
import CDSCore
import CDSDatabase

struct ReportEstablishmentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "establishment",
        abstract: "Teams, members and hamlets without a team, per district (the province's report 07/CĐS)."
    )

    @Option(help: "table, csv or json (table on a terminal, csv otherwise).")
    var format: OutputFormat?

    @Option(help: "Only this district (its GSO code).")
    var district: Int?

    func run() async throws {
        let report = try await OperatorDatabase.withApplication { database in
            var scope = try await database.provinceScope()
            if let district {
                guard scope.tenants.contains(TenantID(district)) else {
                    throw AdminError.notFound("\(district) is not a district code; `cds-admin units tree --depth 1` lists them")
                }
                scope = .district(district)
            }
            return try await database.withTenantScope(scope, actor: .operator("report-establishment")) { transaction in
                try await EstablishmentReport.compute(in: transaction)
            }
        }
        Console.print(try report.formatted(as: format ?? .automatic))
    }
}
