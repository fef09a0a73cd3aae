import PostgresNIO

/// Sets a transaction's tenant scope, actor, request id and ``StatementPlans`` (``Database/withTenantScope(_:actor:snapshot:plans:_:)``):
/// a prepared statement, since every scoped transaction starts with it. `cds.enter_scope` makes each setting with
/// `SET LOCAL`, which Citus forwards to its workers (`sql/migrations/0025_enter_scope.sql`).
struct ScopeSettingsStatement: PostgresPreparedStatement {
    typealias Row = Void

    static let sql = """
        SELECT cds.enter_scope($1, $2, $3, $4, $5)
        """

    static let bindingDataTypes: [PostgresDataType] = [.text, .text, .text, .text, .text]

    let scope: TenantScope
    let actor: AuditActor
    let plans: StatementPlans

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 5)
        bindings.append(scope.settingValue)
        bindings.append(actor.label)
        bindings.append(actor.requestID ?? "")
        bindings.append(plans.settingValue)
        bindings.append(actor.clientRequestID ?? "")
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws {}
}
