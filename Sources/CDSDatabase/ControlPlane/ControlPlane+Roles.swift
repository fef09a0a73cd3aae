import CDSCore
import PostgresNIO

/// A role and the permissions it gives.
public struct RoleRecord: Hashable, Sendable {
    public let name: String
    public let description: String
    public let builtIn: Bool
    public let permissions: [String]
}

extension ControlPlane {
    /// Every role with its permissions, by name.
    public func roles() async throws -> [RoleRecord] {
        try await database.withTransaction { connection in
            var roles: [RoleRecord] = []
            let rows = try await connection.query(
                """
                SELECT r.name, r.description, r.built_in, coalesce(array_agg(p.permission ORDER BY p.permission) FILTER (WHERE p.permission IS NOT NULL), '{}')
                FROM cds.roles r LEFT JOIN cds.role_permissions p ON p.role = r.name
                GROUP BY r.name, r.description, r.built_in
                ORDER BY r.name
                """,
                logger: database.logger
            )
            for try await (name, description, builtIn, permissions) in rows.decode((String, String, Bool, [String]).self) {
                roles.append(RoleRecord(name: name, description: description, builtIn: builtIn, permissions: permissions))
            }
            return roles
        }
    }
}
