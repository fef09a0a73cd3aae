import CDSCore
import CDSDatabase
import CDSRosterProto
import GRPCCore

/// A push's header, checked: what the rest of the push is applied under.
struct PushPlan {
    let district: TenantID
    let full: Bool
    let batchID: String
    let source: String
    let skipInvalid: Bool
    let allowMassDeactivation: Bool

    /// - Throws: `RPCError` — INVALID_ARGUMENT for a malformed header, PERMISSION_DENIED for a district the client
    ///   does not reach or a source system it is not registered for.
    init(_ header: Cds_Roster_V1_PushHeader, client: SyncClient) throws {
        district = try SyncCaller.district(header.districtCode, for: client)
        switch header.mode {
        case .full: full = true
        case .delta: full = false
        default: throw RPCError(code: .invalidArgument, message: "mode must be MODE_FULL or MODE_DELTA")
        }
        guard (1...128).contains(header.batchID.count), !header.batchID.unicodeScalars.contains(where: { $0.value < 0x20 }) else {
            throw RPCError(code: .invalidArgument, message: "batch_id must be 1 to 128 printable characters")
        }
        batchID = header.batchID
        guard SyncClient.isSourceName(header.sourceSystem) else {
            throw RPCError(code: .invalidArgument, message: "source_system must be 1 to 64 of [a-z0-9._-], and not 'local'")
        }
        guard client.writes(header.sourceSystem) else {
            let registered = client.sources.map { $0.isEmpty ? "none yet" : $0.sorted().joined(separator: ", ") } ?? "every source"
            throw RPCError(
                code: .permissionDenied,
                message: "the sync client \(client.name) may push only under its registered sources (\(registered)), not "
                    + "'\(header.sourceSystem)'; an operator adds one with: cds-admin sync-clients set-sources \(client.name) --sources …"
            )
        }
        source = header.sourceSystem
        switch header.onInvalid {
        case .skipRecord: skipInvalid = true
        case .rejectBatch, .unspecified: skipInvalid = false
        default: throw RPCError(code: .invalidArgument, message: "on_invalid must be REJECT_BATCH or SKIP_RECORD")
        }
        allowMassDeactivation = header.allowMassDeactivation
    }
}
