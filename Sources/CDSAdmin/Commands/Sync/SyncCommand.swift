import ArgumentParser
import CDSDatabase
import CDSRosterProto
import Foundation
import GRPCCore
import Synchronization

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

    static var hamletFile: RosterFile<Cds_Roster_V1_HamletRecord> {
        RosterFile(
            name: "hamlets.csv",
            columns: [.text("external_id", \.externalID), .text("commune_code", \.communeCode), .text("name", \.name), .text("kind", \.kind)]
        )
    }

    static var teamFile: RosterFile<Cds_Roster_V1_TeamRecord> {
        RosterFile(
            name: "teams.csv",
            columns: [
                .text("external_id", \.externalID), .text("level", \.level), .text("commune_code", \.communeCode),
                .text("hamlet_external_id", \.hamletExternalID), .text("name", \.name), .text("established_on", \.establishedOn),
                .text("decision_ref", \.decisionRef),
            ]
        )
    }

    static var memberFile: RosterFile<Cds_Roster_V1_MemberRecord> {
        RosterFile(
            name: "members.csv",
            columns: [
                .text("external_id", \.externalID), .text("team_external_id", \.teamExternalID), .text("full_name", \.fullName),
                .text("gender", \.gender),
                .init(name: "birth_year", read: { $0.birthYear = Int32($1) ?? 0 }, write: { $0.birthYear == 0 ? "" : String($0.birthYear) }),
                .text("phone", \.phone), .text("role", \.role), .text("affiliation", \.affiliation), .flag("has_smartphone", \.hasSmartphone_p),
                .flag("trained", \.trained), .text("ethnicity", \.ethnicity),
            ]
        )
    }

    static var tombstoneFile: RosterFile<Cds_Roster_V1_Tombstone> {
        RosterFile(
            name: "tombstones.csv",
            columns: [
                .init(
                    name: "kind",
                    read: { $0.kind = ["hamlet": .hamlet, "team": .team, "member": .member][$1] ?? .unspecified },
                    write: { ["", "hamlet", "team", "member"][min($0.kind.rawValue, 3)] }
                ),
                .text("external_id", \.externalID),
            ]
        )
    }

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
            // Opened (their headers checked) before connecting; read while the push streams, a chunk at a time.
            let files = (
                hamlets: try RosterFile.Reader(SyncCommand.hamletFile, in: directory),
                teams: try RosterFile.Reader(SyncCommand.teamFile, in: directory),
                members: try RosterFile.Reader(SyncCommand.memberFile, in: directory),
                tombstones: try RosterFile.Reader(SyncCommand.tombstoneFile, in: directory)
            )
            let header = Cds_Roster_V1_PushHeader.with {
                $0.districtCode = district
                $0.mode = mode == "full" ? .full : .delta
                $0.batchID = batchID ?? "cds-admin-\(UUID().uuidString.lowercased())"
                $0.sourceSystem = source
                $0.onInvalid = skipInvalid ? .skipRecord : .rejectBatch
                $0.allowMassDeactivation = allowMassDeactivation
            }
            // A faulty line ends the stream, and the server then applies nothing; the line's error is the one to
            // report, not the broken stream's.
            let fault = Mutex<ImportError?>(nil)
            let response: Cds_Roster_V1_PushRosterResponse
            do {
                response = try await connection.withClient { client in
                    try await Cds_Roster_V1_RosterSync.Client(wrapping: client).pushRoster(requestProducer: { writer in
                        var (hamlets, teams, members, tombstones) = files
                        try await writer.write(.with { $0.header = header })
                        // Chunks of a thousand records of each kind.
                        while true {
                            var chunk = Cds_Roster_V1_RecordChunk()
                            do throws(ImportError) {
                                chunk.hamlets = try hamlets.next(1000)
                                chunk.teams = try teams.next(1000)
                                chunk.members = try members.next(1000)
                                chunk.tombstones = try tombstones.next(1000)
                            } catch {
                                fault.withLock { $0 = error }
                                throw error
                            }
                            if chunk.hamlets.isEmpty && chunk.teams.isEmpty && chunk.members.isEmpty && chunk.tombstones.isEmpty { break }
                            try await writer.write(.with { $0.chunk = chunk })
                        }
                    })
                }
            } catch {
                throw fault.withLock { $0 } ?? error
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
            var hamlets: [Cds_Roster_V1_HamletRecord] = []
            var teams: [Cds_Roster_V1_TeamRecord] = []
            var members: [Cds_Roster_V1_MemberRecord] = []
            var tombstones: [Cds_Roster_V1_Tombstone] = []
            for change in changes {
                switch change.record {
                case .hamlet(let record): hamlets.append(record)
                case .team(let record): teams.append(record)
                case .member(let record): members.append(record)
                case .tombstone(let record): tombstones.append(record)
                case nil: continue
                }
            }
            try SyncCommand.hamletFile.write(hamlets, to: directory)
            try SyncCommand.teamFile.write(teams, to: directory)
            try SyncCommand.memberFile.write(members, to: directory)
            try SyncCommand.tombstoneFile.write(tombstones, to: directory)
            Console.print(String(watermark))
            Console.printError("pulled \(changes.count) changes of district \(district) into \(directory.path); next time: --since \(watermark)")
        }
    }
}
