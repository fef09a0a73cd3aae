import ArgumentParser
import CDSWire
import Foundation

/// `cds-admin partners add|list|rotate-key|rotate-webhook-secret|disable|enable`: the apps that relay citizens'
/// reports (through the admin API; `users.manage` on the province).
struct PartnersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "partners",
        abstract: "Register partner apps, list them, rotate their API keys and webhook secrets, disable and enable them.",
        subcommands: [Add.self, List.self, RotateKey.self, RotateWebhookSecret.self, Disable.self, Enable.self]
    )

    typealias List = ListCommand<Wire.Partner>
    typealias Disable = StatusCommand<Wire.Partner, Disabling>
    typealias Enable = StatusCommand<Wire.Partner, Enabling>

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a partner app: its API key alone on standard output, its webhook secret once on standard error.",
            discussion: "cds-admin partners add --name zalo-sonla --districts 116,118 --webhook-url https://hooks.example.vn/cds"
        )

        @OptionGroup var staff: StaffChangeOptions

        @Option(help: "The app's name: lowercase letters, digits, '.', '_' or '-'.") var name: String
        @Option(help: "District codes separated by commas, or all.") var districts: String
        @Option(help: "Where its reports' status changes are sent (https; signed per Standard Webhooks).") var webhookURL: String?
        @Option(help: "Requests a minute it may make (default 120).") var rate: Int?

        func run() async throws {
            let client = try staff.client()
            if staff.dryRun.stops(RegisteredApp.partner.registration(of: name, districts: districts)) { return }
            var fields: [String: (any Encodable & Sendable)?] = ["name": name, "districts": RegisteredApp.districtCodes(districts)]
            if let webhookURL { fields["webhook_url"] = webhookURL }
            if let rate { fields["requests_per_minute"] = rate }
            let registered = try await client.send(.POST, "/v1/partners", json: try AdminClient.body(fields)).decode(Wire.Partner.self)
            Console.print(registered.apiKey ?? "")
            if let secret = registered.webhookSecret {
                Console.printError("webhook secret (shown once, give it to the partner for verifying signatures): \(secret)")
            }
            Console.printError("registered \(registered.name); its API key is above")
        }
    }

    struct RotateKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-key",
            abstract: "Give a partner app a new API key (printed alone on standard output); the old one stops working at once."
        )

        @OptionGroup var staff: StaffChangeOptions
        @Argument var name: String

        func run() async throws {
            let client = try staff.client()
            if staff.dryRun.stops("rotate the API key of \(name)") { return }
            let rotated = try await client.send(.POST, RegisteredApp.partner.path(name) + "/api-key", json: Data("{}".utf8))
                .decode(Wire.Partner.self)
            Console.print(rotated.apiKey ?? "")
            Console.printError("\(name) has a new API key; the old one is refused from now on")
        }
    }

    struct RotateWebhookSecret: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-webhook-secret",
            abstract:
                "Give a partner app a new webhook secret (printed alone on standard output); the old one keeps signing beside it for the overlap."
        )

        @OptionGroup var staff: StaffChangeOptions
        @Argument var name: String
        @Option(help: "Hours the old secret keeps signing beside the new one, 0 to 168 (default 24).") var overlapHours: Int?

        func run() async throws {
            let client = try staff.client()
            if staff.dryRun.stops("rotate the webhook secret of \(name)") { return }
            var fields: [String: (any Encodable & Sendable)?] = [:]
            if let overlapHours { fields["overlap_hours"] = overlapHours }
            let rotated = try await client.send(
                .POST,
                RegisteredApp.partner.path(name) + "/webhook-secret",
                json: try AdminClient.body(fields)
            ).decode(Wire.Partner.self)
            Console.print(rotated.webhookSecret ?? "")
            if let until = rotated.previousWebhookSecretUntil {
                Console.printError("\(name) has a new webhook secret; messages carry the old one's signature too until \(until)")
            } else {
                Console.printError("\(name) has a new webhook secret; the old one signs no more")
            }
        }
    }
}

extension Wire.Partner: ListedCollection {
    static let route = "/v1/partners"
    static let listAbstract = "List the partner apps."
    static let columns: [TextTable.Column] = [.left("name"), .left("districts"), .left("status"), .right("per minute"), .left("webhook")]

    var cells: [String] {
        [name, districts?.joined(separator: ",") ?? "all", status, String(requestsPerMinute), webhookURL ?? ""]
    }
}
