import ArgumentParser
import CDSWire
import Foundation

/// The hamlet commands of `cds-admin units`, through the admin API (`units.manage` on the commune): national units
/// are read-only; the hamlets are the district's to keep.
enum UnitsStaffCommands {
    static func path(_ code: String) throws -> String {
        let parts = code.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) else {
            throw AdminError.usage("'\(code)' is not a unit code: a GSO code such as 3808, or a hamlet such as 3808-001")
        }
        return "/v1/units/\(code)"
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one unit.")

        @OptionGroup var staff: StaffOptions
        @Argument(help: "The unit's code.") var code: String

        @OptionGroup var output: OutputOption

        func run() async throws {
            let unit = try await staff.client().get(try UnitsStaffCommands.path(code), as: Wire.Unit.self)
            let columns: [TextTable.Column] = [.left("code"), .left("name"), .left("type"), .left("parent"), .left("valid from"), .left("valid to")]
            try Listing(columns: columns, items: [unit]) {
                [$0.code, $0.name, $0.divisionType, $0.parentCode ?? "", $0.validFrom ?? "", $0.validTo ?? ""]
            }
            .print(output)
        }
    }

    struct AddHamlet: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add-hamlet", abstract: "Add a hamlet to a commune; prints its code.")

        @OptionGroup var staff: StaffChangeOptions

        @Option(help: "The commune's code.") var commune: String
        @Option(help: "The hamlet's name, e.g. \"Bản Nà Cang\".") var name: String
        @Option(help: "to_dan_pho, ban, tieu_khu, thon, xom or khac.") var kind: String = "ban"

        func run() async throws {
            let client = try staff.client()
            if staff.dryRun.stops("add the \(kind) \"\(name)\" to the commune \(commune)") { return }
            let body = try AdminClient.body(["commune_code": commune, "name": name, "kind": kind])
            let unit = try await client.send(.POST, "/v1/units", json: body).decode(Wire.Unit.self)
            Console.print(unit.code)
        }
    }

    struct ImportHamlets: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import-hamlets",
            abstract: "Add the hamlets of a CSV file: all of them, or none and every faulty line reported.",
            discussion: """
                The file is UTF-8 CSV with a header line: commune_code,name,kind (kind: to_dan_pho, ban, tieu_khu, \
                thon, xom or khac). A name the commune already has, or that the file gives twice for one commune, is a \
                faulty line. --dry-run has the server check every line and write nothing.
                Prints the new hamlets' codes, one a line, in the file's order.
                """
        )

        @OptionGroup var staff: StaffChangeOptions
        @Argument(help: "The CSV file.") var file: String

        func run() async throws {
            try await CSVImport(key: "hamlets", sheet: .hamlets, created: "codes")
                .run(path: file, route: "/v1/imports/hamlets", client: try staff.client(), dryRun: staff.dryRun.enabled)
        }
    }

    struct Rename: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rename", abstract: "Rename a hamlet.")

        @OptionGroup var staff: StaffChangeOptions
        @Argument(help: "The hamlet's code.") var code: String
        @Option(help: "The new name.") var name: String

        func run() async throws {
            try await UnitsStaffCommands.change(code, ["name": name], saying: "rename \(code) to \"\(name)\"", staff: staff)
        }
    }

    struct Move: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "move", abstract: "Move a hamlet to another commune of its district.")

        @OptionGroup var staff: StaffChangeOptions
        @Argument(help: "The hamlet's code (it keeps it).") var code: String
        @Option(help: "The commune it moves to.") var commune: String

        func run() async throws {
            try await UnitsStaffCommands.change(code, ["commune_code": commune], saying: "move \(code) to \(commune)", staff: staff)
        }
    }

    struct Retire: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "retire", abstract: "Retire a hamlet (it stays on record).")

        @OptionGroup var staff: StaffChangeOptions
        @Argument(help: "The hamlet's code.") var code: String
        @Option(help: "Its last day, YYYY-MM-DD (default: today).") var on: String?

        func run() async throws {
            let day = on ?? todayInVietnam()
            try await UnitsStaffCommands.change(code, ["valid_to": day], saying: "retire \(code) on \(day)", staff: staff)
        }
    }

    static func change(_ code: String, _ fields: [String: String], saying change: String, staff: StaffChangeOptions) async throws {
        let client = try staff.client()
        let path = try path(code)
        guard code.contains("-") else { throw AdminError.permissionDenied("\(code) is a national unit: only hamlets are changed here") }
        let current = try await client.get(path, as: Wire.Unit.self)
        if staff.dryRun.stops("\(change) (now \"\(current.name)\" in \(current.parentCode ?? "?"))") { return }
        let unit = try await client.patch(path, json: try AdminClient.body(fields)).decode(Wire.Unit.self)
        Console.printError("\(unit.code) \(unit.name), commune \(unit.parentCode ?? "?")\(unit.validTo.map { ", retired \($0)" } ?? "")")
    }
}
