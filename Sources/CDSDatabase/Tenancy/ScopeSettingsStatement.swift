import PostgresNIO

/// Sets a transaction's tenant scope, actor, request id and ``StatementPlans`` (``Database/withTenantScope(_:actor:snapshot:plans:_:)``):
/// a prepared statement, since every scoped transaction starts with it.
struct ScopeSettingsStatement: PostgresPreparedStatement {
    typealias Row = Void

    static let sql = """
        SELECT set_config('cds.tenant_ids', $1, true), set_config('cds.actor', $2, true),
               set_config('cds.request_id', $3, true), set_config('plan_cache_mode', $4, true),
               set_config('cds.client_request_id', $5, true)
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
