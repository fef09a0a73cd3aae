import PostgresNIO

/// Sets a transaction's tenant scope, actor and request id (``Database/withTenantScope(_:actor:_:)``): a prepared
/// statement, since every scoped transaction starts with it.
///
/// It also asks for custom plans (planned for each call's values) for the transaction: what PostgreSQL always does
/// for the unnamed statements of ad-hoc queries, and what the prepared statements of the hot paths need too. A
/// generic plan cannot fold away a list's absent filters (`$n IS NULL OR ...`); for the members page it read and
/// sorted a whole district, a thousand times slower. PostgreSQL would switch only when it estimates the generic plan
/// no dearer, but estimates drift with the data, and one bad switch stalls every page.
struct ScopeSettingsStatement: PostgresPreparedStatement {
    typealias Row = Void

    static let sql = """
        SELECT set_config('cds.tenant_ids', $1, true), set_config('cds.actor', $2, true),
               set_config('cds.request_id', $3, true), set_config('plan_cache_mode', 'force_custom_plan', true)
        """

    static let bindingDataTypes: [PostgresDataType] = [.text, .text, .text]

    let scope: TenantScope
    let actor: AuditActor

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 3)
        bindings.append(scope.settingValue)
        bindings.append(actor.label)
        bindings.append(actor.requestID ?? "")
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws {}
}
