import GRPCCore

extension StreamingServerResponse {
    /// The same response, with `end` called once it has ended — `nil` for success, else the error that ended it — and
    /// the error `end` returns thrown in place of the original. A rejected response ends at once; an accepted one
    /// when its producer (the streamed messages) finishes.
    func ending(_ end: @escaping @Sendable ((any Error)?) -> (any Error)?) -> Self {
        switch accepted {
        case .failure(let error):
            let replaced = end(error) ?? error
            return Self(error: replaced as? RPCError ?? error)
        case .success(var contents):
            let producer = contents.producer
            contents.producer = { writer in
                do {
                    let trailers = try await producer(writer)
                    _ = end(nil)
                    return trailers
                } catch {
                    throw end(error) ?? error
                }
            }
            return Self(accepted: .success(contents))
        }
    }
}
