import CDSWire
import Foundation

/// A kind of system registered by name for some districts or all, and disabled or enabled by name: the partner apps
/// and the sync clients.
struct RegisteredApp {
    /// What the dry runs call one, e.g. "partner app".
    let noun: String
    /// The admin API's collection of them, e.g. `/v1/partners`.
    let collection: String

    static let partner = RegisteredApp(noun: "partner app", collection: "/v1/partners")
    static let syncClient = RegisteredApp(noun: "sync client", collection: "/v1/sync-clients")

    func path(_ name: String) -> String {
        "\(collection)/\(name.pathSegment)"
    }

    /// The codes of `--districts`: codes separated by commas, or `all`.
    static func districtCodes(_ districts: String) -> [String] {
        districts == "all" ? ["all"] : districts.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// Registering `name` for `--districts`, as a dry run says it.
    func registration(of name: String, districts: String) -> String {
        let which = districts == "all" ? "every district" : "districts " + Self.districtCodes(districts).joined(separator: ", ")
        return "register the \(noun) \(name) for \(which)"
    }

    /// Makes the app `name` `status` (`active` or `disabled`).
    func setStatus(_ status: String, of name: String, staff: StaffChangeOptions) async throws {
        let client = try staff.client()
        if staff.dryRun.stops("make the \(noun) \(name) \(status)") { return }
        _ = try await client.send(.PATCH, path(name), json: try AdminClient.body(["status": status]))
        Console.printError("\(name) is \(status)")
    }
}

extension Wire.Partner: StatusToggled {
    static let disableAbstract = "Disable a partner app: its next request is refused."
    static let enableAbstract = "Enable a disabled partner app again."

    static func setStatus(_ status: String, of name: String, staff: StaffChangeOptions) async throws {
        try await RegisteredApp.partner.setStatus(status, of: name, staff: staff)
    }
}

extension Wire.SyncClient: StatusToggled {
    static let disableAbstract = "Disable a sync client: its next call is refused."
    static let enableAbstract = "Enable a disabled sync client again."

    static func setStatus(_ status: String, of name: String, staff: StaffChangeOptions) async throws {
        try await RegisteredApp.syncClient.setStatus(status, of: name, staff: staff)
    }
}
