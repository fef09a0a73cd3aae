extension AdminClient {
    /// Deletes the object at `path` with the ETag of a fresh read, so that the server refuses if someone changed it
    /// since. `describe` says from that read what would go; a dry run stops there.
    func delete(_ path: String, dryRun: DryRunOption, describing describe: (Answer) throws -> String) async throws {
        let current = try await send(.GET, path)
        if dryRun.stops(try describe(current)) { return }
        _ = try await send(.DELETE, path, ifMatch: current.etag ?? "*")
    }
}
