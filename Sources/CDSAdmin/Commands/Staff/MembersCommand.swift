import ArgumentParser
import CDSWire
import Foundation

/// `cds-admin members list|show|add|update|remove|import|export`: the teams' members, through the admin API. Phone, birth year
/// and ethnicity show only where the server lets you read personal data (and it records each read).
struct MembersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "members",
        abstract: "List, show, add, update, remove, import and export members.",
        subcommands: [List.self, Show.self, Add.self, Update.self, Remove.self, Import.self, Export.self]
    )

    typealias Show = ShowCommand<Wire.Member>

    /// The filters of a listing.
    struct Filters: ParsableArguments {
        @Option(help: "Only this team's members.")
        var team: String?

        @Option(help: "Only the members of teams of this commune or hamlet.")
        var unit: String?

        @Option(help: "leader, deputy or member.")
        var role: String?

        @Option(help: "true or false.")
        var trained: String?

        @Option(help: "Names containing this, ignoring diacritics and case (\"nguyen van\" finds \"Nguyễn Văn\").")
        var search: String?

        func members(_ staff: StaffOptions) async throws -> [Wire.Member] {
            try await staff.client().all(
                "/v1/members",
                query: ["team": team, "unit": unit, "role": role, "trained": trained, "q": search],
                as: Wire.Member.self
            )
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the members you may read.")

        @OptionGroup var staff: StaffOptions
        @OptionGroup var filters: Filters

        @OptionGroup var output: OutputOption

        func run() async throws {
            try Listing(try await filters.members(staff)).print(output)
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add the members of a CSV file: all of them, or none and every faulty line reported.",
            discussion: """
                The file is UTF-8 CSV with a header line. Columns: team_id and full_name (required), gender, birth_year, \
                ethnicity, phone, role, affiliation, has_smartphone, trained, joined_on (YYYY-MM-DD); the columns of \
                `members export`, whose id and left_on must stay empty. Empty cells take the server's defaults.
                --dry-run has the server check every line and write nothing.
                Prints the new members' ids, one a line, in the file's order.
                """
        )

        @OptionGroup var staff: StaffChangeOptions
        @Argument(help: "The CSV file.") var file: String

        func run() async throws {
            try await CSVImport(key: "members", sheet: .members, created: "ids")
                .run(path: file, route: "/v1/imports/members", client: try staff.client(), dryRun: staff.dryRun.enabled)
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every member you may read as CSV (the columns of `members import`), or JSON.",
            discussion: "cds-admin members export --unit 3808 > ito-ong.csv"
        )

        @OptionGroup var staff: StaffOptions
        @OptionGroup var filters: Filters

        @Flag(help: "JSON instead of CSV.")
        var json = false

        func run() async throws {
            let members = try await filters.members(staff)
            try Listing(columns: Wire.Member.sheetColumns.map { .left($0) }, items: members, cells: \.sheetCells)
                .print(json ? .json : .csv)
        }
    }

    /// The fields of a member that `add` and `update` set.
    struct Fields: ParsableArguments {
        @Option(help: "The full name, e.g. \"Lò Thị Hoa\".") var name: String?
        @Option(help: "male or female.") var gender: String?
        @Option(help: "The year of birth.") var birthYear: Int?
        @Option(help: "The ethnicity, e.g. Thái.") var ethnicity: String?
        @Option(help: "A Vietnamese mobile number, e.g. 0912 345 678.") var phone: String?
        @Option(help: "leader, deputy or member.") var role: String?
        @Option(help: "hamlet_head, youth_union, teacher, … (see the API document).") var affiliation: String?
        @Option(help: "true or false.") var smartphone: Bool?
        @Option(help: "true or false.") var trained: Bool?
        @Option(help: "The day the member joined, YYYY-MM-DD.") var joinedOn: String?

        var body: [String: (any Encodable & Sendable)?] {
            [
                "full_name": name, "gender": gender, "birth_year": birthYear, "ethnicity": ethnicity, "phone": phone, "role": role,
                "affiliation": affiliation, "has_smartphone": smartphone, "trained": trained, "joined_on": joinedOn,
            ]
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a member to an active team; prints the new id.")

        @OptionGroup var staff: StaffChangeOptions
        @OptionGroup var fields: Fields

        @Option(help: "The team's id.")
        var team: String

        func validate() throws {
            guard fields.name != nil else { throw ValidationError("--name is required") }
        }

        func run() async throws {
            let client = try staff.client()
            if staff.dryRun.stops("add \(fields.name ?? "") to the team \(team)") { return }
            var body = fields.body
            body["team_id"] = try objectID(team, listedBy: "teams list")
            let member = try await client.send(.POST, "/v1/members", json: try AdminClient.body(body)).decode(Wire.Member.self)
            Console.print(member.id.lowercased)
            Console.printError("added \(member.fullName)")
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a member's fields, or move it to another team of the district.")

        @OptionGroup var staff: StaffChangeOptions
        @OptionGroup var fields: Fields
        @Argument(help: "The member's id.") var id: String

        @Option(help: "Another active team of the district.")
        var team: String?

        func run() async throws {
            let client = try staff.client()
            var body = fields.body
            body["team_id"] = try team.map { try objectID($0, listedBy: "teams list") }
            let changes = try FieldChanges(body, example: "--phone")
            if staff.dryRun.stops(changes.summary(of: "the member \(id)")) { return }
            let member = try await client.patch(try objectPath("members", id), json: try changes.body())
                .decode(Wire.Member.self)
            Console.printError("changed \(member.fullName)")
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record that a member left the team (the member stays on record, with left_on)."
        )

        @OptionGroup var staff: StaffChangeOptions
        @Argument(help: "The member's id.") var id: String

        @Option(help: "The day the member left, YYYY-MM-DD (default: today).")
        var on: String?

        func run() async throws {
            let client = try staff.client()
            let path = try objectPath("members", id)
            let member = try await client.get(path, as: Wire.Member.self)
            let day = on ?? todayInVietnam()
            if staff.dryRun.stops("record that \(member.fullName) left on \(day)") { return }
            _ = try await client.patch(path, json: try AdminClient.body(["left_on": day]))
            Console.printError("\(member.fullName) left on \(day)")
        }
    }

}

extension Wire.Member: ShownObject {
    static let collection = "members"
    static let noun = "member"
    static let columns: [TextTable.Column] = [
        .left("id"), .left("name"), .left("unit"), .left("role"), .left("phone"), .left("trained"), .left("left"),
    ]

    var cells: [String] {
        [id.lowercased, fullName, hamletCode ?? communeCode, role, personal?.phone ?? "", trained ? "yes" : "no", leftOn ?? ""]
    }
}
