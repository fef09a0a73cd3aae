import CDSDatabase
import CDSDemo

/// A generated world of accounts and the admin actions taken in it, all drawn from one seed: the same seed gives the
/// same scenario on every machine, so that a failure in CI is replayed with `CDS_ESCALATION_SEED`.
struct EscalationScenario: Sendable {
    /// An account made by an operator before the actions begin; the first ``holderCount`` are people, each with an
    /// operator-issued token for their own account, who take the actions.
    struct Account: Sendable {
        let label: String
        let home: Int
        let grants: [ReachOracle.Grant]
    }

    /// One action: a person, one of the tokens it holds (its own, or one it obtained), and what it asks the API.
    /// Accounts, tokens and grants are picked by index modulo what exists when the step runs, so that a step keeps a
    /// meaning when the steps before it are removed while a failure is shrunk.
    struct Step: Sendable {
        enum Ask: Sendable {
            case create(home: Int)
            case grant(account: Int, role: String, unit: Int)
            case revokeGrant(account: Int, pick: Int)
            case mint(account: Int)
            case revokeToken(pick: Int)
            case setStatus(account: Int, active: Bool)
        }

        let holder: Int
        let token: Int
        let ask: Ask
    }

    /// The units that the scenario's homes and grants are drawn from: the province, two districts, two communes each.
    struct Units: Sendable {
        let province: Int
        let districts: [Int]
        let communes: [Int: [Int]]
        var all: [Int] { [province] + districts + districts.flatMap { communes[$0] ?? [] } }
    }

    /// The national tree and the roles, as the database has them.
    struct Reference: Sendable {
        let province: Int
        let communesByDistrict: [Int: [Int]]
        /// Each role's level: `province`, `district` or `commune`.
        let roleLevels: [String: String]
    }

    let seed: UInt64
    let units: Units
    let accounts: [Account]
    let holderCount: Int
    var steps: [Step]

    static let stepCount = 12

    init(seed: UInt64, reference: Reference, clerkRole: String) {
        var random = SeededGenerator(seed: seed)
        let districts = Array(reference.communesByDistrict.keys.sorted().shuffled(using: &random).prefix(2))
        let communes = Dictionary(uniqueKeysWithValues: districts.map { district in
            (district, Array(reference.communesByDistrict[district, default: []].shuffled(using: &random).prefix(2)))
        })
        let units = Units(province: reference.province, districts: districts, communes: communes)
        let (d1, d2) = (districts[0], districts[1])
        let (c1, c2) = (communes[d1]![0], communes[d1]![1])
        var people: [Account] = [
            Account(label: "P", home: units.province, grants: [.init(role: "province_admin", unit: units.province)]),
            Account(
                label: "D1",
                home: d1,
                grants: [.init(role: "district_admin", unit: d1)] + (random.chance(30) ? [.init(role: "auditor", unit: d2)] : [])
            ),
            Account(label: "D2", home: d2, grants: [.init(role: "district_admin", unit: d2)]),
            Account(
                label: "C",
                home: c1,
                grants: [.init(role: "commune_officer", unit: c1)] + (random.chance(30) ? [.init(role: "commune_officer", unit: c2)] : [])
            ),
            Account(label: "K", home: d1, grants: [.init(role: clerkRole, unit: d1)]),
        ]
        let holderCount = people.count
        for number in 1...2 {
            let home = units.all.randomElement(using: &random)!
            let grants = (0..<Int.random(in: 0...2, using: &random)).map { _ in
                Self.fittingGrant(units: units, reference: reference, using: &random)
            }
            people.append(Account(label: "T\(number)", home: home, grants: Array(Set(grants))))
        }
        self.seed = seed
        self.units = units
        self.accounts = people
        self.holderCount = holderCount
        self.steps = (0..<Self.stepCount).map { _ in
            let ask: Step.Ask = random.weighted([
                (.create(home: units.all.randomElement(using: &random)!), 10),
                (Self.grant(units: units, reference: reference, using: &random), 30),
                (.revokeGrant(account: Int.random(in: 0..<64, using: &random), pick: Int.random(in: 0..<8, using: &random)), 12),
                (.mint(account: Int.random(in: 0..<64, using: &random)), 22),
                (.revokeToken(pick: Int.random(in: 0..<64, using: &random)), 6),
                (.setStatus(account: Int.random(in: 0..<64, using: &random), active: random.chance(50)), 20),
            ])
            return Step(holder: Int.random(in: 0..<holderCount, using: &random), token: Int.random(in: 0..<8, using: &random), ask: ask)
        }
    }

    /// A grant of a random account: mostly at a level the role fits, sometimes anywhere (which must be refused).
    private static func grant(units: Units, reference: Reference, using random: inout SeededGenerator) -> Step.Ask {
        let account = Int.random(in: 0..<64, using: &random)
        if random.chance(80) {
            let grant = fittingGrant(units: units, reference: reference, using: &random)
            return .grant(account: account, role: grant.role, unit: grant.unit)
        }
        let role = reference.roleLevels.keys.sorted().randomElement(using: &random)!
        return .grant(account: account, role: role, unit: units.all.randomElement(using: &random)!)
    }

    /// A grant of a random role on a random unit of its level.
    static func fittingGrant(units: Units, reference: Reference, using random: inout SeededGenerator) -> ReachOracle.Grant {
        let role = reference.roleLevels.keys.sorted().randomElement(using: &random)!
        let communes = units.districts.flatMap { units.communes[$0] ?? [] }
        let unit: Int =
            switch reference.roleLevels[role] {
            case "province": units.province
            case "commune": communes.randomElement(using: &random)!
            default: (units.districts + communes).randomElement(using: &random)!
            }
        return .init(role: role, unit: unit)
    }
}
