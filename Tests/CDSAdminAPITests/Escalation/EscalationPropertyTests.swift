import CDSDatabase
import CDSTestSupport
import Foundation
import PostgresNIO
import Testing

/// The control plane's invariant as a property: whatever admin actions (create, grant, revoke, mint, disable,
/// enable) any person takes through the API with any token it holds, no token it holds ever gives a
/// (permission, unit) pair that its own account does not hold, and every account is listed exactly to those who
/// manage it.
///
/// `CDS_ESCALATION_SEQUENCES` (default 1,000) scenarios from `CDS_ESCALATION_SEED` (default 1) on, in batches that
/// each have their own database; a failing scenario is shrunk to the fewest steps that still fail, and printed.
@Suite struct EscalationPropertyTests {
    static let clerkRole = "account_clerk"
    static let batchSize = 10
    static let concurrentBatches = 2

    @Test func noCallerEverObtainsAPairItDoesNotHold() async throws {
        let environment = ProcessInfo.processInfo.environment
        let first = environment["CDS_ESCALATION_SEED"].flatMap { UInt64($0) } ?? 1
        let count = environment["CDS_ESCALATION_SEQUENCES"].flatMap { Int($0) } ?? 1_000
        let seeds = (0..<UInt64(count)).map { first + $0 }
        let batches = stride(from: 0, to: seeds.count, by: Self.batchSize).map { Array(seeds[$0..<min($0 + Self.batchSize, seeds.count)]) }
        let started = ContinuousClock.now
        let failures = try await withThrowingTaskGroup(of: [String].self) { group in
            var pending = batches.makeIterator()
            for _ in 0..<Self.concurrentBatches {
                if let batch = pending.next() { group.addTask { try await Self.play(batch) } }
            }
            var failures: [String] = []
            for try await found in group {
                failures += found
                if failures.isEmpty, let batch = pending.next() { group.addTask { try await Self.play(batch) } }
            }
            return failures
        }
        print("escalation property: \(count) scenarios of \(EscalationScenario.stepCount) steps in \(ContinuousClock.now - started)")
        for failure in failures { Issue.record(Comment(rawValue: failure)) }
    }

    /// Plays each seed of `batch` on a database of its own; the shrunk report of the first that fails, if any.
    private static func play(_ batch: [UInt64]) async throws -> [String] {
        try await AdminAPITestCase.run(rateLimit: nil) { api in
            try await api.db.withPools { _, owner in
                try await owner.withTransaction { connection in
                    try await connection.query(
                        "INSERT INTO cds.roles (name, description, level) VALUES (\(clerkRole), 'Keeps the accounts', 'district')",
                        logger: TestDatabase.logger
                    )
                    try await connection.query(
                        "INSERT INTO cds.role_permissions (role, permission) VALUES (\(clerkRole), 'users.manage'), (\(clerkRole), 'teams.read')",
                        logger: TestDatabase.logger
                    )
                }
                let observer = try await PostgresConnection.connect(
                    configuration: api.db.superuser.testConnectionConfiguration(),
                    id: 90,
                    logger: TestDatabase.logger
                )
                do {
                    let report = try await Self.play(batch, api: api, observer: observer)
                    try await observer.close()
                    return report
                } catch {
                    try? await observer.close()
                    throw error
                }
            }
        }
    }

    /// Plays each seed of `batch`, `observer` reading the state after each step; the first failure, shrunk.
    private static func play(_ batch: [UInt64], api: AdminAPITestCase, observer: PostgresConnection) async throws -> [String] {
        try await observer.query("SELECT set_config('cds.actor', 'operator:escalation-test', false)", logger: TestDatabase.logger)
        let (reference, oracle) = try await Self.reference(observer)
        for seed in batch {
            let scenario = EscalationScenario(seed: seed, reference: reference, clerkRole: clerkRole)
            let play = { (scenario: EscalationScenario) in
                try await EscalationRun.play(scenario, api: api, observer: observer, oracle: oracle)
            }
            let outcome = try await play(scenario)
            guard !outcome.violations.isEmpty else { continue }
            let shrunk = try await Self.shrink(scenario, failing: outcome, play: play)
            return [
                "scenario \(seed) breaks the invariant (replay: CDS_ESCALATION_SEED=\(seed) CDS_ESCALATION_SEQUENCES=1); "
                    + "shrunk to \(shrunk.transcript.count - 1) of \(scenario.steps.count) steps:\n"
                    + (shrunk.transcript + shrunk.violations).joined(separator: "\n")
            ]
        }
        return []
    }

    /// Removes steps while the scenario still fails: halves, then quarters, down to single steps, until no removal
    /// keeps it failing (at most 200 replays).
    private static func shrink(
        _ scenario: EscalationScenario,
        failing outcome: EscalationRun.Outcome,
        play: (EscalationScenario) async throws -> EscalationRun.Outcome
    ) async throws -> EscalationRun.Outcome {
        var smallest = scenario
        var result = outcome
        var replays = 0
        var chunk = max(1, scenario.steps.count / 2)
        while chunk >= 1, replays < 200 {
            var removedAny = false
            var start = 0
            while start < smallest.steps.count, replays < 200 {
                var candidate = smallest
                candidate.steps.removeSubrange(start..<min(start + chunk, candidate.steps.count))
                replays += 1
                let replayed = try await play(candidate)
                if replayed.violations.isEmpty {
                    start += chunk
                } else {
                    smallest = candidate
                    result = replayed
                    removedAny = true
                }
            }
            if !removedAny { chunk /= 2 }
        }
        return result
    }

    /// The national tree and the roles, read from the database.
    private static func reference(_ connection: PostgresConnection) async throws -> (EscalationScenario.Reference, ReachOracle) {
        var parents: [Int: Int] = [:]
        var province = 0
        var communes: [Int: [Int]] = [:]
        for try await (code, parent, level) in try await connection.query(
            "SELECT code, parent_code, level FROM cds.units ORDER BY code",
            logger: TestDatabase.logger
        ).decode((Int, Int?, String).self) {
            if let parent { parents[code] = parent }
            if level == "province" { province = code }
            if level == "commune", let parent { communes[parent, default: []].append(code) }
        }
        var levels: [String: String] = [:]
        for try await (role, level) in try await connection.query("SELECT name, level FROM cds.roles", logger: TestDatabase.logger)
            .decode((String, String).self)
        {
            levels[role] = level
        }
        var permissions: [String: Set<String>] = [:]
        for try await (role, permission) in try await connection.query(
            "SELECT role, permission FROM cds.role_permissions",
            logger: TestDatabase.logger
        ).decode((String, String).self) {
            permissions[role, default: []].insert(permission)
        }
        return (
            EscalationScenario.Reference(province: province, communesByDistrict: communes, roleLevels: levels),
            ReachOracle(parents: parents, permissions: permissions)
        )
    }
}
