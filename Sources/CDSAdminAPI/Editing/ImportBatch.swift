import CDSHTTP
import Hummingbird

/// An import's items: what `POST /v1/imports/…` takes, `{"<key>": [item, …]}` read as strictly as one item's
/// route reads its body, whether it is a dry run (`?dry_run=true`), and the faults its checks find.
struct ImportBatch<Item: JSONRequestBody> {
    let dryRun: Bool
    let items: [Item]
    var faults: BatchFaults

    init(_ request: Request, _ limits: ImportLimits) async throws {
        dryRun = try RequestInput.choice(request.uri.queryParameters["dry_run"], field: "dry_run", among: ["true", "false"]) == "true"
        items = try await JSONBody.decodeBatch(
            Item.self,
            key: limits.key,
            from: request,
            maximumSize: limits.maximumSize,
            maximumCount: limits.maximumCount
        )
        faults = BatchFaults(key: limits.key)
    }

    /// 201 with the import's result, 200 for a dry run, which created nothing.
    func response<Result: ResponseEncodable>(_ result: Result) -> EditedResponse<Result> {
        EditedResponse(status: dryRun ? .ok : .created, response: result)
    }
}

/// How much one import may hold: a transaction short enough not to hold its locks for long.
struct ImportLimits: Sendable {
    /// The body's key of the items, e.g. `members`.
    let key: String
    let maximumCount: Int
    let maximumSize: Int
}
