import GRPCCore

/// An interceptor that acts when a call ends — failed before it answered, or its last response message sent —
/// and may replace the error it ended with.
protocol CallEndingInterceptor: ServerInterceptor {
    /// Called as the call starts; what it returns is called once, as the call ends, with `nil` for success or the
    /// error that ended it, and returns the error to end the call with.
    func end(of context: ServerContext) -> @Sendable ((any Error)?) -> (any Error)?
}

extension CallEndingInterceptor {
    func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>,
        context: ServerContext,
        next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
    ) async throws -> StreamingServerResponse<Output> {
        let end = end(of: context)
        do {
            return try await next(request, context).ending(end)
        } catch {
            throw end(error) ?? error
        }
    }
}

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
