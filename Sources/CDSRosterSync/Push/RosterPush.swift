import CDSCore
import CDSDatabase
import CDSRosterProto
import Crypto
import Foundation
import GRPCCore
import NIOCore
import PostgresNIO

/// One push, applied in one transaction scoped to its district, as its sync client.
///
/// The records stream into a temporary staging table with COPY as they arrive (checked one by one on the way, so
/// memory stays flat whatever the roster's size), are then checked set-wise against each other and the district
/// (references, duplicates, one active team per unit, one leader per team), and merged into the registry with
/// plain UPDATE and INSERT … SELECT as `cds_app`, under the district's row-level security. The district's change
/// counter is locked first: pushes to one district serialise on it, and every row the push writes is stamped from
/// the range it reserves.
struct RosterPush {
    let plan: PushPlan
    let client: SyncClient
    let limits: RosterSyncLimits

    /// The push's answer, and whether it was replayed from an earlier identical push.
    func apply(
        chunks: inout RPCAsyncSequence<Cds_Roster_V1_PushRosterRequest, any Error>.AsyncIterator,
        header: Cds_Roster_V1_PushRosterRequest,
        silence: ClientSilenceWatch,
        in transaction: borrowing TenantTransaction
    ) async throws -> (response: Cds_Roster_V1_PushRosterResponse, replayed: Bool) {
        let district = plan.district.rawValue
        try await transaction.query(
            "INSERT INTO cds.roster_watermarks (tenant_id, value) VALUES (\(district), 0) ON CONFLICT (tenant_id) DO NOTHING"
        )
        let base = try await transaction.rows(
            "SELECT value FROM cds.roster_watermarks WHERE tenant_id = \(district) FOR UPDATE",
            as: Int64.self
        )[0]
        try await transaction.query(StagingTable.create)
        var resent = limits.skipsUnchangedRecords ? ResentRecords(held: try await activeDigests(in: transaction)) : nil
        var faults = PushFaults()
        var hash = SHA256()
        hash.update(data: try header.serializedBytes() as [UInt8])
        var counts: [StagedRecord.Kind: Int] = [:]
        try await transaction.copyFrom(
            table: "sync_records",
            columns: StagingTable.copyColumns
        ) { writer in
            // A chunk is checked and digested off this task's thread while the next one arrives and the one before
            // goes into the COPY: on two cores, that took the stream of a district's nightly re-push from 2.4 to 1.5 s.
            var pending: Task<CheckedChunk, any Error>?
            func stage(_ checked: CheckedChunk) async throws {
                hash.update(data: checked.bytes)
                for record in checked.records where record.fault != nil { faults.add(record) }
                var buffer = ByteBuffer()
                for record in checked.records {
                    switch resent?.take(record) ?? .stage {
                    case .stage: record.writeCopyLine(into: &buffer)
                    case .passedOver: break
                    case .duplicate:
                        faults.add(kind: record.kind, position: record.position, externalID: record.externalID, refusal: .duplicateInBatch)
                    }
                }
                if buffer.readableBytes > 0 { try await writer.write(buffer) }
            }
            while let message = try await silence.awaitingClient({ try await chunks.next() }) {
                guard case .chunk(let chunk) = message.kind else {
                    throw RPCError(code: .invalidArgument, message: "a push has one PushHeader, first; the rest are RecordChunks")
                }
                guard plan.full == false || chunk.tombstones.isEmpty else {
                    throw RPCError(
                        code: .invalidArgument,
                        message: "tombstones belong to MODE_DELTA pushes; a FULL push deactivates what it leaves out"
                    )
                }
                let first = counts
                counts[.hamlet, default: 0] += chunk.hamlets.count
                counts[.team, default: 0] += chunk.teams.count
                counts[.member, default: 0] += chunk.members.count
                counts[.tombstone, default: 0] += chunk.tombstones.count
                guard counts.values.reduce(0, +) <= limits.maximumRecordsPerPush else {
                    throw RPCError(code: .resourceExhausted, message: "a push may carry at most \(limits.maximumRecordsPerPush) records")
                }
                let checking = Task(executorPreference: globalConcurrentExecutor) { try CheckedChunk(message, chunk, from: first) }
                if let pending { try await stage(pending.value) }
                pending = checking
            }
            if let pending { try await stage(pending.value) }
        }
        // A push given up while waiting for its client (ClientSilenceWatch) may see its stream end like a finished
        // one: nothing of it may be merged.
        try Task.checkCancellation()
        let contentHash = Data(hash.finalize())
        // The set-wise checks and the merge look records up by kind and external id, or a member's team: without
        // these, and without statistics, each lookup scanned the staging table — quadratic in the push's size.
        try await transaction.query("CREATE INDEX ON pg_temp.sync_records (kind, external_id)")
        try await transaction.query("CREATE INDEX ON pg_temp.sync_records (kind, team_external_id)")
        try await transaction.query("ANALYZE pg_temp.sync_records")

        if let stored = try await storedResponse(contentHash: contentHash, in: transaction) { return (stored, true) }

        var validation = PushValidation(plan: plan, faults: faults, resent: resent)
        try await validation.run(in: transaction)
        faults = validation.faults
        resent = validation.resent
        var response = Cds_Roster_V1_PushRosterResponse.with { $0.batchID = plan.batchID }
        let rejected = try await rejectedCounts(in: transaction).merging(resent?.refused ?? [:], uniquingKeysWith: +)
        if faults.total > 0 && !plan.skipInvalid {
            response.applied = false
            faults.fill(&response)
            response.hamlets.rejected = rejected[.hamlet] ?? 0
            response.teams.rejected = rejected[.team] ?? 0
            response.members.rejected = rejected[.member] ?? 0
            response.watermark = base
            return (response, false)
        }
        let merge = PushMerge(plan: plan, base: base, records: counts, passedOver: resent?.counts ?? [:], notResentDigests: validation.notResent)
        var result = try await merge.run(in: transaction)
        result.hamlets.rejected = rejected[.hamlet] ?? 0
        result.teams.rejected = rejected[.team] ?? 0
        result.members.rejected = rejected[.member] ?? 0
        response.applied = true
        response.hamlets = result.hamlets
        response.teams = result.teams
        response.members = result.members
        response.watermark = result.watermark
        faults.fill(&response)
        try await transaction.query(
            """
            INSERT INTO cds.sync_pushes (tenant_id, client_id, batch_id, content_sha256, response)
            VALUES (\(district), \(client.id), \(plan.batchID), \(contentHash), \(Data(try response.serializedBytes() as [UInt8])))
            """
        )
        return (response, false)
    }

    /// The digests of the source's active records in the district, of every kind: a record sent with one of them is
    /// in the registry exactly as sent. A few MiB for a district of 200,000 members, far less than the records; read
    /// as one array, which PostgreSQL sends and PostgresNIO decodes faster than a row for each.
    private func activeDigests(in transaction: borrowing TenantTransaction) async throws -> Set<Int64> {
        let selects = [StagedRecord.Kind.hamlet, .team, .member].map { kind in
            let (table, isActive) = PushMerge.target(kind)
            return
                "SELECT x.source_digest FROM \(table) x WHERE x.tenant_id = $1 AND x.source_system = $2 AND \(isActive) AND x.source_digest IS NOT NULL"
        }
        var binds = PostgresBindings()
        binds.append(plan.district.rawValue)
        binds.append(plan.source)
        let digests = try await transaction.rows(
            PostgresQuery(
                unsafeSQL: "SELECT coalesce(array_agg(d), '{}') FROM (\(selects.joined(separator: " UNION ALL "))) AS held (d)",
                binds: binds
            ),
            as: [Int64].self
        )[0]
        return Set(digests)
    }

    /// The answer of an earlier push with this batch id: the same when its content was the same; otherwise the batch
    /// id is taken (ALREADY_EXISTS).
    private func storedResponse(contentHash: Data, in transaction: borrowing TenantTransaction) async throws -> Cds_Roster_V1_PushRosterResponse? {
        let rows = try await transaction.rows(
            """
            SELECT content_sha256, response FROM cds.sync_pushes
            WHERE tenant_id = \(plan.district.rawValue) AND client_id = \(client.id) AND batch_id = \(plan.batchID)
            """,
            as: (Data, Data).self
        )
        guard let (hash, response) = rows.first else { return nil }
        guard hash == contentHash else {
            throw RPCError(
                code: .alreadyExists,
                message: "the batch id '\(plan.batchID)' was pushed before with other content; choose a new batch id"
            )
        }
        return try Cds_Roster_V1_PushRosterResponse(serializedBytes: response)
    }

    private func rejectedCounts(in transaction: borrowing TenantTransaction) async throws -> [StagedRecord.Kind: Int64] {
        let rows = try await transaction.rows(
            "SELECT kind::int, count(*) FROM pg_temp.sync_records WHERE NOT valid GROUP BY kind",
            as: (Int, Int64).self
        )
        return Dictionary(uniqueKeysWithValues: rows.compactMap { kind, count in StagedRecord.Kind(rawValue: kind).map { ($0, count) } })
    }
}

/// The faults of a push's records: the first thousand kept, all counted.
struct PushFaults {
    static let kept = 1000
    private(set) var errors: [Cds_Roster_V1_RecordError] = []
    private(set) var total = 0

    mutating func add(_ record: StagedRecord) {
        guard let fault = record.fault else { return }
        add(kind: record.kind, position: record.position, externalID: record.externalID, refusal: fault)
    }

    mutating func add(kind: StagedRecord.Kind, position: Int, externalID: String, refusal fault: ValidationError) {
        total += 1
        guard errors.count < Self.kept else { return }
        errors.append(
            .with {
                $0.kind = kind.protoKind
                $0.index = Int64(position)
                $0.externalID = externalID
                $0.field = fault.field
                $0.code = fault.code.description
                $0.message = fault.message
            }
        )
    }

    func fill(_ response: inout Cds_Roster_V1_PushRosterResponse) {
        response.errors = errors.sorted { ($0.kind.rawValue, $0.index) < ($1.kind.rawValue, $1.index) }
        response.errorCount = Int64(total)
    }
}

/// A chunk's records checked and digested, and its bytes for the push's content hash.
private struct CheckedChunk: Sendable {
    let records: [StagedRecord]
    let bytes: [UInt8]

    /// - Parameter first: each kind's position of its first record in the chunk.
    init(_ message: Cds_Roster_V1_PushRosterRequest, _ chunk: Cds_Roster_V1_RecordChunk, from first: [StagedRecord.Kind: Int]) throws {
        func position(_ kind: StagedRecord.Kind, _ offset: Int) -> Int { (first[kind] ?? 0) + offset }
        var records: [StagedRecord] = []
        records.reserveCapacity(chunk.hamlets.count + chunk.teams.count + chunk.members.count + chunk.tombstones.count)
        records += chunk.hamlets.enumerated().map { StagedRecord.hamlet($1, at: position(.hamlet, $0)) }
        records += chunk.teams.enumerated().map { StagedRecord.team($1, at: position(.team, $0)) }
        records += chunk.members.enumerated().map { StagedRecord.member($1, at: position(.member, $0)) }
        records += chunk.tombstones.enumerated().map { StagedRecord.tombstone($1, at: position(.tombstone, $0)) }
        self.records = records
        bytes = try message.serializedBytes()
    }
}
