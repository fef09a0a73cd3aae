import CDSCore
import PostgresNIO

/// A role and the permissions it gives.
public struct RoleRecord: Hashable, Sendable {
    public let name: String
    public let description: String
    public let builtIn: Bool
    /// Where the role may be granted.
    public let level: RoleLevel
    public let permissions: [String]
}

extension ControlPlane {
    /// Every role with its permissions, by name.
    public func roles() async throws -> [RoleRecord] {
        try await database.withTransaction { connection in
            var roles: [RoleRecord] = []
            let rows = try await connection.query(
                """
                SELECT r.name, r.description, r.built_in, r.level, coalesce(array_agg(p.permission ORDER BY p.permission) FILTER (WHERE p.permission IS NOT NULL), '{}')
                FROM cds.roles r LEFT JOIN cds.role_permissions p ON p.role = r.name
                GROUP BY r.name, r.description, r.built_in, r.level
                ORDER BY r.name
                """,
                logger: database.logger
            )
            for try await (name, description, builtIn, level, permissions) in rows.decode((String, String, Bool, String, [String]).self) {
                guard let level = RoleLevel(rawValue: level) else { continue }
                roles.append(RoleRecord(name: name, description: description, builtIn: builtIn, level: level, permissions: permissions))
            }
            return roles
        }
    }
}
