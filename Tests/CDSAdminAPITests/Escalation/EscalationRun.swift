import CDSDatabase
import CDSTestSupport
import Foundation
import HTTPTypes
import PostgresNIO

/// One scenario played through the API on the real database: its accounts made by an operator, each step taken by a
/// person with one of its tokens, and after every step the invariant checked for every person — no token a person
/// holds gives a (permission, unit) pair that the person's own account does not hold now.
struct EscalationRun {
    struct Token {
        let id: UUID
        let secret: String
        let account: Int
    }

    struct Person {
        let label: String
        let account: Int
        /// Its own token first, then every token it was issued through the API.
        var tokens: [Token]
    }

    struct Account {
        let id: UUID
        let label: String
        let home: Int
    }

    /// The accounts' state as the database has it after a step.
    struct Snapshot {
        var active: [UUID: Bool] = [:]
        /// Each account's grants, in a stable order (role, unit).
        var grants: [UUID: [(id: UUID, grant: ReachOracle.Grant)]] = [:]
        /// Every token of the run's accounts, oldest first (those made together by their account's name, so that a
        /// replay picks the same), and whether it is unrevoked and unexpired.
        var tokens: [(id: UUID, unrevoked: Bool)] = []

        func grants(of account: UUID) -> [ReachOracle.Grant] { grants[account, default: []].map(\.grant) }
    }

    struct Outcome {
        var transcript: [String] = []
        var violations: [String] = []
    }

    let api: AdminAPITestCase
    let observer: PostgresConnection
    let oracle: ReachOracle
    private let tag = "e" + UUID().uuidString.lowercased().prefix(12).replacingOccurrences(of: "-", with: "")
    private var accounts: [Account] = []
    private var people: [Person] = []
    private var snapshot = Snapshot()
    private var outcome = Outcome()

    private init(api: AdminAPITestCase, observer: PostgresConnection, oracle: ReachOracle) {
        self.api = api
        self.observer = observer
        self.oracle = oracle
    }

    /// - Parameter observer: a superuser connection with `cds.actor` set for the session, which makes the scenario's
    ///   accounts (an operator's doing, not under test) and reads the state after each step.
    static func play(
        _ scenario: EscalationScenario,
        api: AdminAPITestCase,
        observer: PostgresConnection,
        oracle: ReachOracle
    ) async throws -> Outcome {
        var run = EscalationRun(api: api, observer: observer, oracle: oracle)
        try await run.setUp(scenario)
        for (number, step) in scenario.steps.enumerated() {
            try await run.take(step, number: number + 1)
            try await run.observe()
            run.checkHoldings(after: number + 1)
            if !run.outcome.violations.isEmpty { return run.outcome }
        }
        try await run.checkWhatTheAPIShows()
        return run.outcome
    }

    /// Makes the scenario's accounts, their grants and the people's own tokens in one statement, instead of the
    /// control plane's one transaction per change (some twenty per scenario).
    private mutating func setUp(_ scenario: EscalationScenario) async throws {
        let names = scenario.accounts.map { "\(tag)-\($0.label.lowercased())" }
        let granted = zip(names, scenario.accounts).flatMap { name, account in account.grants.map { (name, $0) } }
        let secrets = names.prefix(scenario.holderCount).map { _ in BearerToken.generate() }
        let hashes = secrets.map { BearerToken.sha256($0).map { String(format: "%02x", $0) }.joined() }
        var made: [String: (account: UUID, token: UUID?)] = [:]
        for try await (name, account, token) in try await observer.query(
            """
            WITH made AS (
                INSERT INTO cds.principals (kind, name, home_unit_code)
                SELECT 'staff', name, home FROM unnest(\(names)::text[], \(scenario.accounts.map(\.home))::int[]) AS a (name, home)
                RETURNING id, name
            ), granted AS (
                INSERT INTO cds.grants (principal_id, role, unit_code)
                SELECT made.id, g.role, g.unit
                FROM unnest(\(granted.map(\.0))::text[], \(granted.map(\.1.role))::text[], \(granted.map(\.1.unit))::int[]) AS g (name, role, unit)
                JOIN made USING (name)
            ), issued AS (
                INSERT INTO cds.credentials (principal_id, kind, secret_sha256)
                SELECT made.id, 'bearer_token', decode(t.sha, 'hex')
                FROM unnest(\(Array(names.prefix(scenario.holderCount)))::text[], \(hashes)::text[]) AS t (name, sha)
                JOIN made USING (name)
                RETURNING id, principal_id
            )
            SELECT made.name, made.id, issued.id FROM made LEFT JOIN issued ON issued.principal_id = made.id
            """,
            logger: TestDatabase.logger
        ).decode((String, UUID, UUID?).self) {
            made[name] = (account, token)
        }
        for (index, (name, account)) in zip(names, scenario.accounts).enumerated() {
            guard let (id, token) = made[name] else { throw EscalationRunError.setUpFailed(name) }
            accounts.append(Account(id: id, label: account.label, home: account.home))
            if index < scenario.holderCount, let token {
                people.append(Person(label: account.label, account: index, tokens: [Token(id: token, secret: secrets[index], account: index)]))
            }
        }
        let described = scenario.accounts.map { "\($0.label) home \($0.home) \($0.grants.map(\.description))" }
        outcome.transcript.append("seed \(scenario.seed): " + described.joined(separator: "; "))
        try await observe()
    }

    private mutating func take(_ step: EscalationScenario.Step, number: Int) async throws {
        let person = people[step.holder]
        let token = person.tokens[step.token % person.tokens.count]
        let who = "\(number). \(person.label) with " + (token.account == person.account && token.id == person.tokens[0].id
            ? "its own token" : "a token for \(accounts[token.account].label)")
        func target(_ index: Int) -> Account { accounts[index % accounts.count] }
        let request: (HTTPRequest.Method, String, String?, String)
        switch step.ask {
        case .create(let home):
            let name = "\(tag)-n\(accounts.count)"
            request = (.post, "/v1/users", #"{"name":"\#(name)","home_unit_code":"\#(home)"}"#, "creates an account at home on \(home)")
        case .grant(let account, let role, let unit):
            let target = target(account)
            let body = #"{"user_id":"\#(target.id)","role":"\#(role)","unit_code":"\#(unit)"}"#
            request = (.post, "/v1/grants", body, "grants \(target.label) \(role)@\(unit)")
        case .revokeGrant(let account, let pick):
            let target = target(account)
            let grants = snapshot.grants[target.id, default: []]
            guard !grants.isEmpty else { return outcome.transcript.append("\(who): nothing of \(target.label)'s to revoke") }
            let grant = grants[pick % grants.count]
            request = (.delete, "/v1/grants/\(grant.id)", nil, "revokes \(target.label)'s \(grant.grant)")
        case .mint(let account):
            let target = target(account)
            request = (.post, "/v1/tokens", #"{"user_id":"\#(target.id)","expires_in_days":30}"#, "mints a token for \(target.label)")
        case .revokeToken(let pick):
            guard !snapshot.tokens.isEmpty else { return }
            let id = snapshot.tokens[pick % snapshot.tokens.count].id
            let owner = people.flatMap(\.tokens).first { $0.id == id }.map { accounts[$0.account].label } ?? "an account"
            request = (.delete, "/v1/tokens/\(id)", nil, "revokes a token of \(owner)")
        case .setStatus(let account, let active):
            let target = target(account)
            let status = active ? "active" : "disabled"
            request = (.patch, "/v1/users/\(target.id)", #"{"status":"\#(status)"}"#, "sets \(target.label) \(status)")
        }
        let answer = try await api.send(request.0, request.1, as: token.secret, body: request.2)
        outcome.transcript.append("\(who) \(request.3) → \(answer.status)")
        if answer.status >= 500 { outcome.violations.append("step \(number) answered \(answer.status)") }
        guard (200..<300).contains(answer.status), let json = answer.json as? [String: Any] else { return }
        switch step.ask {
        case .create(let home):
            if let id = (json["id"] as? String).flatMap(UUID.init(uuidString:)) {
                accounts.append(Account(id: id, label: "N\(accounts.count)", home: home))
            }
        case .mint(let account):
            if let id = (json["id"] as? String).flatMap(UUID.init(uuidString:)), let secret = json["token"] as? String {
                people[step.holder].tokens.append(Token(id: id, secret: secret, account: account % accounts.count))
            }
        default:
            break
        }
    }

    /// Reads the run's accounts, grants and tokens as the superuser, in one round trip: a row per account, grant
    /// (with its role and unit) and token (with whether it is unrevoked and unexpired).
    private mutating func observe() async throws {
        var next = Snapshot()
        for try await (kind, principal, id, flag, role, unit) in try await observer.query(
            """
            SELECT * FROM (
                SELECT 'account' AS kind, id AS principal, id, status = 'active', NULL::text AS role, NULL::int AS unit, 0 AS n
                FROM cds.principals WHERE id = ANY(\(accounts.map(\.id)))
                UNION ALL
                SELECT 'grant', principal_id, id, true, role, unit_code, row_number() OVER (ORDER BY principal_id, role, unit_code)
                FROM cds.grants WHERE principal_id = ANY(\(accounts.map(\.id)))
                UNION ALL
                SELECT 'token', c.principal_id, c.id, c.revoked_at IS NULL AND (c.expires_at IS NULL OR c.expires_at > now()), NULL, NULL,
                       row_number() OVER (ORDER BY c.created_at, p.name)
                FROM cds.credentials c JOIN cds.principals p ON p.id = c.principal_id WHERE c.principal_id = ANY(\(accounts.map(\.id)))
            ) state ORDER BY kind, n
            """,
            logger: TestDatabase.logger
        ).decode((String, UUID, UUID, Bool, String?, Int?).self) {
            switch kind {
            case "account": next.active[id] = flag
            case "grant": next.grants[principal, default: []].append((id, .init(role: role ?? "", unit: unit ?? 0)))
            default: next.tokens.append((id, flag))
            }
        }
        snapshot = next
    }

    /// Whether `token` authenticates now: unrevoked, unexpired, and its account active.
    private func live(_ token: Token) -> Bool {
        snapshot.active[accounts[token.account].id] == true && snapshot.tokens.contains { $0.id == token.id && $0.unrevoked }
    }

    private mutating func checkHoldings(after step: Int) {
        for person in people {
            let own = person.tokens[0]
            let held = live(own) ? snapshot.grants(of: accounts[person.account].id) : nil
            for token in person.tokens.dropFirst() where live(token) {
                let account = accounts[token.account]
                let gives = snapshot.grants(of: account.id)
                guard let held else {
                    outcome.violations.append("after step \(step): \(person.label) has lost its own access, yet its token for \(account.label) still works")
                    continue
                }
                if !oracle.covers(held, gives) {
                    outcome.violations.append(
                        "after step \(step): \(person.label) holds \(held) itself, and \(gives) through its token for \(account.label)"
                    )
                }
            }
        }
    }

    /// At the end: each token authenticates exactly when the database says it is live, with its account's grants, and
    /// lists exactly the run's accounts that its account manages (and itself).
    private mutating func checkWhatTheAPIShows() async throws {
        for person in people {
            for token in person.tokens {
                let account = accounts[token.account]
                let me = try await api.get("/v1/me", as: token.secret)
                let label = "\(person.label)'s token for \(account.label)"
                guard live(token) else {
                    if me.status != 401 { outcome.violations.append("\(label) should be refused, answered \(me.status)") }
                    continue
                }
                let grants = snapshot.grants(of: account.id)
                let shown = ((me.json as? [String: Any])?["grants"] as? [[String: Any]] ?? []).compactMap { grant in
                    (grant["role"] as? String).flatMap { role in (grant["unit_code"] as? String).flatMap(Int.init).map { ReachOracle.Grant(role: role, unit: $0) } }
                }
                if me.status != 200 || Set(shown) != Set(grants) {
                    outcome.violations.append("\(label): /v1/me answered \(me.status) with \(shown), the database holds \(grants)")
                }
                let listed = try await api.get("/v1/users", as: token.secret)
                let expected = Set(accounts.filter { other in
                    other.id == account.id
                        || oracle.manages(grants, home: other.home, accountGrants: snapshot.grants(of: other.id))
                }.map(\.id))
                let runIDs = Set(accounts.map(\.id))
                if oracle.holdsAnywhere(grants, "users.manage") {
                    let items = (listed.json as? [String: Any])?["items"] as? [[String: Any]] ?? []
                    let seen = Set(items.compactMap { ($0["id"] as? String).flatMap(UUID.init(uuidString:)) }).intersection(runIDs)
                    if listed.status != 200 || seen != expected {
                        let accounts = accounts
                        let names = { (ids: Set<UUID>) in accounts.filter { ids.contains($0.id) }.map(\.label).sorted() }
                        outcome.violations.append("\(label) lists \(names(seen)) (\(listed.status)), should list \(names(expected))")
                    }
                } else if listed.status != 403 {
                    outcome.violations.append("\(label) without users.manage lists accounts: \(listed.status)")
                }
            }
        }
    }
}

enum EscalationRunError: Error {
    case setUpFailed(String)
}
