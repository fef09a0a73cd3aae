import Logging
import PostgresNIO

/// Creates the two roles of the tenancy rules (docs/tenancy.md) and the application database, as a superuser. Idempotent.
///
/// - `cds_owner` owns the database and every object in it and runs the migrations;
/// - `cds_app` owns nothing, is neither superuser nor BYPASSRLS, and is what the server and the tests use.
public enum RoleBootstrap {
    public static let ownerRole = "cds_owner"
    public static let applicationRole = "cds_app"

    /// - Parameters:
    ///   - superuser: an endpoint of a superuser, on any database of the server.
    ///   - database: the database to create, owned by `cds_owner`.
    ///   - ownerPassword / applicationPassword: hex secrets (they are placed in SQL, which takes no parameters here).
    public static func run(
        superuser: DatabaseEndpoint,
        database: String,
        ownerPassword: String,
        applicationPassword: String,
        logger: Logger
    ) async throws {
        precondition([ownerPassword, applicationPassword].allSatisfy { $0.allSatisfy(\.isHexDigit) })
        let connection = try await PostgresConnection.connect(configuration: try superuser.connectionConfiguration(), id: 1, logger: logger)
        do {
            try await connection.query(
                PostgresQuery(
                    unsafeSQL: """
                        DO $$
                        BEGIN
                            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '\(ownerRole)') THEN
                                CREATE ROLE \(ownerRole);
                            END IF;
                            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '\(applicationRole)') THEN
                                CREATE ROLE \(applicationRole);
                            END IF;
                        END
                        $$
                        """
                ),
                logger: logger
            )
            try await connection.query(
                PostgresQuery(
                    unsafeSQL: "ALTER ROLE \(ownerRole) LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB NOBYPASSRLS PASSWORD '\(ownerPassword)'"
                ),
                logger: logger
            )
            try await connection.query(
                PostgresQuery(
                    unsafeSQL:
                        "ALTER ROLE \(applicationRole) LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB NOBYPASSRLS NOINHERIT PASSWORD '\(applicationPassword)'"
                ),
                logger: logger
            )
            try await createDatabase(database, template: "template0", connection: connection, logger: logger)
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// Creates `database`, owned by `cds_owner`, from `template`, unless it exists.
    public static func createDatabase(
        _ database: String,
        template: String,
        connection: PostgresConnection,
        logger: Logger
    ) async throws {
        precondition(isPlainIdentifier(database) && isPlainIdentifier(template))
        let exists =
            try await connection.query("SELECT 1 FROM pg_database WHERE datname = \(database)", logger: logger)
            .collect().count > 0
        guard !exists else { return }
        try await connection.query(
            PostgresQuery(unsafeSQL: "CREATE DATABASE \(database) OWNER \(ownerRole) TEMPLATE \(template) ENCODING 'UTF8'"),
            logger: logger
        )
        try await connection.query(PostgresQuery(unsafeSQL: "REVOKE ALL ON DATABASE \(database) FROM PUBLIC"), logger: logger)
        try await connection.query(
            PostgresQuery(unsafeSQL: "GRANT CONNECT, TEMPORARY ON DATABASE \(database) TO \(applicationRole)"),
            logger: logger
        )
    }

    /// Identifiers that this code places in SQL itself: lowercase letters, digits and underscores.
    static func isPlainIdentifier(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 63 && name.first!.isLetter
            && name.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "_" }
    }
}
