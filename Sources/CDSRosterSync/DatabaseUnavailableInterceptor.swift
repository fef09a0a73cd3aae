import CDSDatabase
import GRPCCore

/// A call that fails because the database cannot be reached ends with `UNAVAILABLE` (which clients retry) instead of
/// `UNKNOWN`; the push's transaction did not commit, so sending the batch again is safe.
struct DatabaseUnavailableInterceptor: CallEndingInterceptor {
    func end(of context: ServerContext) -> @Sendable ((any Error)?) -> (any Error)? {
        Self.unavailable
    }

    @Sendable static func unavailable(_ error: (any Error)?) -> (any Error)? {
        guard let error, DatabaseError.unavailable(error) != nil else { return error }
        return RPCError(code: .unavailable, message: "the database cannot be reached; send the call again shortly", cause: error)
    }
}
