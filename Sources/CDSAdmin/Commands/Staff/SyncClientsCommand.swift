import ArgumentParser
import CDSWire
import Foundation

/// `cds-admin sync-clients add|list|set-sources|disable|enable`: the provincial systems that sync rosters over the
/// roster sync protocol, each known by its client certificate and limited to the source systems it speaks for
/// (through the admin API; `users.manage` on the province).
struct SyncClientsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync-clients",
        abstract: "Register, list, disable and enable the systems that sync rosters.",
        subcommands: [Add.self, List.self, SetSources.self, Disable.self, Enable.self]
    )

    typealias List = ListCommand<Wire.SyncClient>
    typealias Disable = StatusCommand<Wire.SyncClient, Disabling>
    typealias Enable = StatusCommand<Wire.SyncClient, Enabling>

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a sync client by its certificate (PEM), for some districts or all, and the sources it writes.",
            discussion: "cds-admin sync-clients add --name hrm-sonla --cert hrm.pem --districts 120,118 --sources hrm"
        )

        @OptionGroup var staff: StaffChangeOptions

        @Option(help: "The client's name: lowercase letters, digits, '.', '_' or '-'.") var name: String
        @Option(help: "Its client certificate, a PEM file (signed by the server's client CA).") var cert: String
        @Option(help: "District codes separated by commas, or all.") var districts: String
        @Option(help: "The source systems it pushes under, separated by commas (e.g. hrm,edu).") var sources: String

        func run() async throws {
            let client = try staff.client()
            guard let pem = FileManager.default.contents(atPath: cert).flatMap({ String(data: $0, encoding: .utf8) }) else {
                throw AdminError.notFound("cannot read the certificate \(cert)")
            }
            if staff.dryRun.stops(RegisteredApp.syncClient.registration(of: name, districts: districts)) { return }
            let codes = RegisteredApp.districtCodes(districts)
            let body = try AdminClient.body(["name": name, "certificate_pem": pem, "districts": codes, "sources": SyncClientsCommand.list(sources)])
            let registered = try await client.send(.POST, "/v1/sync-clients", json: body).decode(Wire.SyncClient.self)
            Console.print(registered.certificateSHA256)
            Console.printError("registered \(registered.name); its certificate's SHA-256 is above")
        }
    }

    struct SetSources: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-sources",
            abstract: "Replace the source systems a sync client may push under.",
            discussion: "cds-admin sync-clients set-sources hrm-sonla --sources hrm,edu"
        )

        @OptionGroup var staff: StaffChangeOptions
        @Argument var name: String
        @Option(help: "The source systems, separated by commas.") var sources: String

        func run() async throws {
            let client = try staff.client()
            let list = SyncClientsCommand.list(sources)
            if staff.dryRun.stops("let the sync client \(name) push under \(list.joined(separator: ", "))") { return }
            let changed = try await client.send(.PATCH, RegisteredApp.syncClient.path(name), json: try AdminClient.body(["sources": list]))
                .decode(Wire.SyncClient.self)
            Console.printError("\(changed.name) pushes under \(changed.sources?.joined(separator: ", ") ?? "every source")")
        }
    }

    /// A comma-separated list, trimmed, without empty items.
    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

extension Wire.SyncClient: ListedCollection {
    static let route = "/v1/sync-clients"
    static let listAbstract = "List the sync clients."
    static let columns: [TextTable.Column] = [.left("name"), .left("districts"), .left("sources"), .left("status"), .left("certificate sha256")]

    var cells: [String] {
        [name, districts?.joined(separator: ",") ?? "all", sources?.joined(separator: ",") ?? "all", status, certificateSHA256]
    }
}
