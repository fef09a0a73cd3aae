import ArgumentParser
import CDSDatabase
import CDSRosterProto
import Foundation
import GRPCCore

/// `cds-admin sync push|pull`: a client of the roster sync protocol, as a provincial system would be — over mutual
/// TLS with a registered client certificate (the development pair by default).
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Push a district's roster from CSV files, or pull its changes to CSV files (roster sync, gRPC).",
        discussion: """
            The files, UTF-8 CSV with a header line (empty cells: unknown):
              hamlets.csv     external_id,commune_code,name,kind
              teams.csv       external_id,level,commune_code,hamlet_external_id,name,established_on,decision_ref
              members.csv     external_id,team_external_id,full_name,gender,birth_year,phone,role,affiliation,has_smartphone,trained,ethnicity
              tombstones.csv  kind,external_id   (delta pushes: hamlet, team or member)
            """,
        subcommands: [Push.self, Pull.self]
    )

    static let hamletColumns = ["external_id", "commune_code", "name", "kind"]
    static let teamColumns = ["external_id", "level", "commune_code", "hamlet_external_id", "name", "established_on", "decision_ref"]
    static let memberColumns = [
        "external_id", "team_external_id", "full_name", "gender", "birth_year", "phone", "role", "affiliation", "has_smartphone", "trained",
        "ethnicity",
    ]
    static let tombstoneColumns = ["kind", "external_id"]

    struct Push: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Push a district's roster (all of it, or nothing) and print the counts.")

        @OptionGroup var connection: SyncConnection

        @Option(help: "The district's code.") var district: String
        @Option(help: "full (a snapshot: what it leaves out is deactivated) or delta (upserts and tombstones).") var mode: String
        @Option(help: "The directory of hamlets.csv, teams.csv, members.csv (and tombstones.csv).") var dir: String
        @Option(help: "The batch id: the same id again replays the first answer (default: a new one).") var batchID: String?
        @Option(help: "The source system the records come from.") var source: String = "cds-admin"
        @Flag(help: "Apply the valid records and list the others, instead of applying nothing.") var skipInvalid = false
        @Flag(help: "Let a FULL push deactivate more than 20 % of the source's active records.") var allowMassDeactivation = false

        func validate() throws {
            guard ["full", "delta"].contains(mode) else { throw ValidationError("--mode must be full or delta") }
        }

        func run() async throws {
            let directory = URL(fileURLWithPath: dir)
            func table(_ name: String, _ columns: [String]) throws -> [[String: String]] {
                let file = directory.appendingPathComponent(name)
                guard FileManager.default.fileExists(atPath: file.path) else { return [] }
                let table = try CSVTable(text: String(contentsOf: file, encoding: .utf8))
                let unknown = Set(table.header).subtracting(columns)
                guard unknown.isEmpty else {
                    throw AdminError.failure("\(file.path) has columns this push does not take: \(unknown.sorted().joined(separator: ", "))")
                }
                return table.records.map { Dictionary(uniqueKeysWithValues: zip(table.header, $0.fields)) }
            }
            let hamlets = try table("hamlets.csv", SyncCommand.hamletColumns).map(SyncCommand.hamlet)
            let teams = try table("teams.csv", SyncCommand.teamColumns).map(SyncCommand.team)
            let members = try table("members.csv", SyncCommand.memberColumns).map(SyncCommand.member)
            let tombstones = try table("tombstones.csv", SyncCommand.tombstoneColumns).map(SyncCommand.tombstone)
            let header = Cds_Roster_V1_PushHeader.with {
                $0.districtCode = district
                $0.mode = mode == "full" ? .full : .delta
                $0.batchID = batchID ?? "cds-admin-\(UUID().uuidString.lowercased())"
                $0.sourceSystem = source
                $0.onInvalid = skipInvalid ? .skipRecord : .rejectBatch
                $0.allowMassDeactivation = allowMassDeactivation
            }
            let response = try await connection.withClient { client in
                try await Cds_Roster_V1_RosterSync.Client(wrapping: client).pushRoster(requestProducer: { writer in
                    try await writer.write(.with { $0.header = header })
                    // Chunks of a thousand records, hamlets before the teams that name them before their members.
                    for start in stride(from: 0, to: max(hamlets.count, teams.count, members.count, tombstones.count), by: 1000) {
                        func slice<T>(_ records: [T]) -> [T] { Array(records.dropFirst(start).prefix(1000)) }
                        try await writer.write(
                            .with {
                                $0.chunk = .with {
                                    $0.hamlets = slice(hamlets)
                                    $0.teams = slice(teams)
                                    $0.members = slice(members)
                                    $0.tombstones = slice(tombstones)
                                }
                            }
                        )
                    }
                })
            }
            for error in response.errors {
                Console.printError("\(error.kind) #\(error.index) \(error.externalID), \(error.field): \(error.message) (\(error.code))")
            }
            Console.print("batch \(response.batchID): \(response.applied ? "applied" : "not applied"), watermark \(response.watermark)")
            for (kind, counts) in [("hamlets", response.hamlets), ("teams", response.teams), ("members", response.members)] {
                Console.print(
                    "\(kind): \(counts.inserted) inserted, \(counts.updated) updated, \(counts.unchanged) unchanged, "
                        + "\(counts.deactivated) deactivated, \(counts.rejected) rejected"
                )
            }
            if !response.applied { throw AdminError.failure("\(response.errorCount) invalid records: nothing was applied") }
        }
    }

    struct Pull: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Pull a district's changes since a watermark into CSV files; prints the watermark to resume from."
        )

        @OptionGroup var connection: SyncConnection

        @Option(help: "The district's code.") var district: String
        @Option(help: "The watermark of the last pull (default 0: everything).") var since: Int64 = 0
        @Option(help: "The directory to write hamlets.csv, teams.csv, members.csv and tombstones.csv to.") var out: String

        func run() async throws {
            let request = Cds_Roster_V1_PullRosterRequest.with {
                $0.districtCode = district
                $0.sinceWatermark = since
            }
            let (changes, watermark) = try await connection.withClient { client in
                try await Cds_Roster_V1_RosterSync.Client(wrapping: client).pullRoster(request) { response in
                    var changes: [Cds_Roster_V1_Change] = []
                    var watermark = since
                    for try await page in response.messages {
                        changes += page.changes
                        watermark = page.watermark
                    }
                    return (changes, watermark)
                }
            }
            let directory = URL(fileURLWithPath: out)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            var files: [String: [[String]]] = ["hamlets.csv": [], "teams.csv": [], "members.csv": [], "tombstones.csv": []]
            for change in changes {
                switch change.record {
                case .hamlet(let h): files["hamlets.csv"]!.append([h.externalID, h.communeCode, h.name, h.kind])
                case .team(let t):
                    files["teams.csv"]!.append([t.externalID, t.level, t.communeCode, t.hamletExternalID, t.name, t.establishedOn, t.decisionRef])
                case .member(let m):
                    files["members.csv"]!.append([
                        m.externalID, m.teamExternalID, m.fullName, m.gender, m.birthYear == 0 ? "" : String(m.birthYear), m.phone, m.role,
                        m.affiliation, String(m.hasSmartphone_p), String(m.trained), m.ethnicity,
                    ])
                case .tombstone(let t):
                    files["tombstones.csv"]!.append([["", "hamlet", "team", "member"][min(t.kind.rawValue, 3)], t.externalID])
                case nil: continue
                }
            }
            let headers = [
                "hamlets.csv": SyncCommand.hamletColumns, "teams.csv": SyncCommand.teamColumns, "members.csv": SyncCommand.memberColumns,
                "tombstones.csv": SyncCommand.tombstoneColumns,
            ]
            for (name, rows) in files {
                let text = ([headers[name]!] + rows).map(CSVLine.encode).joined(separator: "\n") + "\n"
                try PrivateFile.write(Data(text.utf8), to: directory.appendingPathComponent(name))
            }
            Console.print(String(watermark))
            Console.printError("pulled \(changes.count) changes of district \(district) into \(directory.path); next time: --since \(watermark)")
        }
    }

    static func hamlet(_ row: [String: String]) -> Cds_Roster_V1_HamletRecord {
        .with {
            $0.externalID = row["external_id"] ?? ""
            $0.communeCode = row["commune_code"] ?? ""
            $0.name = row["name"] ?? ""
            $0.kind = row["kind"] ?? ""
        }
    }

    static func team(_ row: [String: String]) -> Cds_Roster_V1_TeamRecord {
        .with {
            $0.externalID = row["external_id"] ?? ""
            $0.level = row["level"] ?? ""
            $0.communeCode = row["commune_code"] ?? ""
            $0.hamletExternalID = row["hamlet_external_id"] ?? ""
            $0.name = row["name"] ?? ""
            $0.establishedOn = row["established_on"] ?? ""
            $0.decisionRef = row["decision_ref"] ?? ""
        }
    }

    static func member(_ row: [String: String]) -> Cds_Roster_V1_MemberRecord {
        .with {
            $0.externalID = row["external_id"] ?? ""
            $0.teamExternalID = row["team_external_id"] ?? ""
            $0.fullName = row["full_name"] ?? ""
            $0.gender = row["gender"] ?? ""
            $0.birthYear = Int32(row["birth_year"] ?? "") ?? 0
            $0.phone = row["phone"] ?? ""
            $0.role = row["role"] ?? ""
            $0.affiliation = row["affiliation"] ?? ""
            $0.hasSmartphone_p = ["true", "yes", "1"].contains(row["has_smartphone"]?.lowercased() ?? "")
            $0.trained = ["true", "yes", "1"].contains(row["trained"]?.lowercased() ?? "")
            $0.ethnicity = row["ethnicity"] ?? ""
        }
    }

    static func tombstone(_ row: [String: String]) -> Cds_Roster_V1_Tombstone {
        .with {
            $0.kind = ["hamlet": .hamlet, "team": .team, "member": .member][row["kind"] ?? ""] ?? .unspecified
            $0.externalID = row["external_id"] ?? ""
        }
    }
}
