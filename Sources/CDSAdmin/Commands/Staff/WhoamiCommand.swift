import ArgumentParser
import CDSWire
import Foundation

/// `cds-admin whoami`: the principal behind the token, its grants, the districts they reach and the permissions they give.
struct WhoamiCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whoami",
        abstract: "Show who the token is: grants, effective districts and permissions."
    )

    @OptionGroup var staff: StaffOptions

    @Option(name: [.customShort("o"), .long], help: "table or json.")
    var output: OutputFormat?

    func run() async throws {
        let client = try staff.client()
        let me = try await client.get("/v1/me", as: Wire.Me.self)
        switch output ?? .table {
        case .json:
            Console.print(try JSONOutput.encode(me))
        default:
            Console.print("\(me.name) (\(me.kind)) at \(client.server.absoluteString)")
            Console.print("grants:      " + (me.grants.isEmpty ? "none" : me.grants.map { "\($0.role) on \($0.unitCode)" }.joined(separator: ", ")))
            Console.print("districts:   " + (me.districts.isEmpty ? "none" : me.districts.map(String.init).joined(separator: ", ")))
            Console.print("permissions: " + me.permissions.joined(separator: ", "))
        }
    }
}
