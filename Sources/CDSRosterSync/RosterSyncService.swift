import CDSCore
import CDSDatabase
import CDSRosterProto
import Foundation
import GRPCCore
import SwiftProtobuf

/// `cds.roster.v1.RosterSync`: every call identifies its sync client by the connection's certificate, and works
/// only in districts the client reaches, in a transaction scoped to that one district, as the client.
struct RosterSyncService: Cds_Roster_V1_RosterSync.SimpleServiceProtocol {
    let database: Database
    let controlPlane: ControlPlane
    let limits: RosterSyncLimits

    /// A push, abandoned (and rolled back) when its client falls silent for `limits.pushSilenceTimeout`.
    func pushRoster(
        request: RPCAsyncSequence<Cds_Roster_V1_PushRosterRequest, any Error>,
        context: ServerContext
    ) async throws -> Cds_Roster_V1_PushRosterResponse {
        let silence = ClientSilenceWatch(limit: limits.pushSilenceTimeout)
        return try await withThrowingTaskGroup(of: Cds_Roster_V1_PushRosterResponse?.self) { group in
            group.addTask { try await push(request, context: context, silence: silence) }
            group.addTask {
                try await silence.watch()
                return nil
            }
            defer { group.cancelAll() }
            while let finished = try await group.next() {
                if let response = finished { return response }
            }
            throw CancellationError()
        }
    }

    private func push(
        _ request: RPCAsyncSequence<Cds_Roster_V1_PushRosterRequest, any Error>,
        context: ServerContext,
        silence: ClientSilenceWatch
    ) async throws -> Cds_Roster_V1_PushRosterResponse {
        let client = try await SyncCaller.client(of: context, in: controlPlane)
        var messages = request.makeAsyncIterator()
        guard let first = try await silence.awaitingClient({ try await messages.next() }), case .header(let header) = first.kind else {
            throw RPCError(code: .invalidArgument, message: "the first message of a push must be its PushHeader")
        }
        let plan = try PushPlan(header, client: client)
        try await requireKnown(plan.district)
        let push = RosterPush(plan: plan, client: client, limits: limits)
        do {
            let (response, replayed) = try await database.withTenantScope(TenantScope([plan.district]), actor: client.auditActor) {
                transaction in
                try await push.apply(chunks: &messages, header: first, silence: silence, in: transaction)
            }
            if response.applied && !replayed { SyncMetrics.recordApplied(response) }
            return response
        } catch let error where ConstraintViolation(error) != nil {
            // The checks ran under the district's lock; what still trips a constraint is a change made meanwhile
            // through the admin API (a team founded for the same unit). Nothing was applied.
            throw RPCError(
                code: .aborted,
                message: "the push met a concurrent change of the district (\(ConstraintViolation(error)!.kind)); send it again"
            )
        }
    }

    /// A district the registry has: an unknown code is NOT_FOUND (a client may reach every district, even unknown ones).
    private func requireKnown(_ district: TenantID) async throws {
        guard try await database.provinceScope().tenants.contains(district) else {
            throw RPCError(code: .notFound, message: "no district has the code \(district)")
        }
    }

    func pullRoster(
        request: Cds_Roster_V1_PullRosterRequest,
        response: RPCWriter<Cds_Roster_V1_PullRosterResponse>,
        context: ServerContext
    ) async throws {
        let client = try await SyncCaller.client(of: context, in: controlPlane)
        let district = try SyncCaller.district(request.districtCode, for: client)
        try await requireKnown(district)
        guard request.sinceWatermark >= 0 else { throw RPCError(code: .invalidArgument, message: "since_watermark must be 0 or more") }
        guard (0...limits.maximumPullPageSize).contains(Int(request.pageSize)) else {
            throw RPCError(code: .invalidArgument, message: "page_size must be 0 (the default, 500) to \(limits.maximumPullPageSize)")
        }
        let pull = RosterPull(district: district, since: request.sinceWatermark, pageSize: request.pageSize == 0 ? 500 : Int(request.pageSize))
        let actor = client.auditActor
        let result = try await database.withTenantScope(TenantScope([district]), actor: actor, snapshot: true) { transaction in
            try await pull.run(in: transaction) { changes, watermark in
                try await response.write(
                    .with {
                        $0.changes = changes
                        $0.watermark = watermark
                    }
                )
            }
        }
        // A pull hands members' personal data to the client: one audit entry lists the members it sent.
        if !result.members.isEmpty {
            try await database.withTenantScope(TenantScope([district]), actor: actor) { transaction in
                try await transaction.recordPersonalDataRead(
                    PersonalDataRead(
                        entity: "members",
                        route: "cds.roster.v1.RosterSync/PullRoster",
                        filters: ["since_watermark": String(request.sinceWatermark), "watermark": String(result.watermark)],
                        subjects: result.members.map { (district, $0) }
                    )
                )
            }
        }
    }

    func getPush(request: Cds_Roster_V1_GetPushRequest, context: ServerContext) async throws -> Cds_Roster_V1_PushRosterResponse {
        let client = try await SyncCaller.client(of: context, in: controlPlane)
        guard (1...128).contains(request.batchID.count) else {
            throw RPCError(code: .invalidArgument, message: "batch_id must be 1 to 128 characters")
        }
        let districts = try await database.provinceScope().tenants.filter(client.reaches)
        let stored = try await database.withTenantScope(TenantScope(districts), actor: client.auditActor) { transaction in
            try await transaction.rows(
                """
                SELECT response FROM cds.sync_pushes WHERE client_id = \(client.id) AND batch_id = \(request.batchID)
                ORDER BY created_at DESC LIMIT 1
                """,
                as: Data.self
            )
        }
        guard let response = stored.first else {
            throw RPCError(code: .notFound, message: "no push of \(client.name) has the batch id '\(request.batchID)'")
        }
        return try Cds_Roster_V1_PushRosterResponse(serializedBytes: response)
    }
}
