import CDSCore
import Foundation
import PostgresNIO

/// A system the control plane registers under a unique name — a partner app, a sync client — and reaches some or
/// all districts: registered, read and changed the same way, whatever else its row holds.
protocol NamedRegistration: Sendable {
    /// The control plane's table, e.g. `cds.partner_apps`.
    static var table: String { get }
    /// What people call one, e.g. `partner app`.
    static var noun: String { get }
    /// The columns that ``init(row:)`` reads, in its order.
    static var columns: String { get }

    init(row: PostgresRow) throws
}

extension ControlPlane {
    /// The registrations that meet `condition`, by name.
    static func registrations<Registration: NamedRegistration>(
        _ kind: Registration.Type,
        where condition: PostgresQuery,
        on connection: LeasedConnection,
        logger: Logger
    ) async throws -> [Registration] {
        let query = PostgresQuery(
            unsafeSQL: "SELECT \(kind.columns) FROM \(kind.table) WHERE \(condition.sql) ORDER BY name",
            binds: condition.binds
        )
        var found: [Registration] = []
        for try await row in try await connection.query(query, logger: logger) {
            found.append(try Registration(row: row))
        }
        return found
    }

    func registrations<Registration: NamedRegistration>(
        _ kind: Registration.Type,
        where condition: PostgresQuery
    ) async throws -> [Registration] {
        try await database.withConnection { connection in
            try await Self.registrations(kind, where: condition, on: connection, logger: database.logger)
        }
    }

    /// Registers `name`: `insert` is the rest of the INSERT (`(columns) VALUES (…)`).
    /// - Parameter districts: `nil` for every district.
    /// - Throws: ``ControlPlaneError`` when the name is malformed or taken, or no district is given.
    func register<Registration: NamedRegistration>(
        _ kind: Registration.Type,
        name: String,
        districts: Set<TenantID>?,
        actor: AuditActor,
        inserting insert: PostgresQuery
    ) async throws -> Registration {
        guard name.wholeMatch(of: /[a-z0-9][a-z0-9._-]{1,62}/) != nil else {
            throw ControlPlaneError(.invalid, "'\(name)' is not a valid \(kind.noun) name: 2–63 lowercase letters, digits, '.', '_' or '-'")
        }
        guard districts?.isEmpty != true else { throw ControlPlaneError(.invalid, "a \(kind.noun) needs at least one district") }
        return try await withTransaction(actor: actor) { connection in
            let statement = PostgresQuery(
                unsafeSQL: "INSERT INTO \(kind.table) \(insert.sql) ON CONFLICT (name) DO NOTHING RETURNING id",
                binds: insert.binds
            )
            let written = try await connection.query(statement, logger: database.logger).collect().count
            guard written == 1 else { throw ControlPlaneError(.conflict, "a \(kind.noun) is named \(name) already") }
            return try await Self.registrations(kind, where: "name = \(name)", on: connection, logger: database.logger)[0]
        }
    }

    /// Changes the registration `name` and reads it back: `change` is the rest of the UPDATE (`SET … WHERE name = …`).
    /// - Throws: ``ControlPlaneError`` `.notFound` for an unknown name.
    func updateRegistration<Registration: NamedRegistration>(
        _ kind: Registration.Type,
        name: String,
        _ change: PostgresQuery,
        actor: AuditActor
    ) async throws -> Registration {
        let found = try await withTransaction(actor: actor) { connection in
            try await connection.query(PostgresQuery(unsafeSQL: "UPDATE \(kind.table) " + change.sql, binds: change.binds), logger: database.logger)
            return try await Self.registrations(kind, where: "name = \(name)", on: connection, logger: database.logger).first
        }
        guard let found else { throw ControlPlaneError(.notFound, "no \(kind.noun) is named \(name)") }
        return found
    }

    /// Sets the status (`active` or `disabled`) of the registration `name`.
    /// - Throws: ``ControlPlaneError`` `.notFound` for an unknown name.
    func setStatus<Registration: NamedRegistration>(
        of kind: Registration.Type,
        name: String,
        _ status: String,
        actor: AuditActor
    ) async throws -> Registration {
        try await updateRegistration(kind, name: name, "SET status = \(status), updated_at = now() WHERE name = \(name)", actor: actor)
    }
}
