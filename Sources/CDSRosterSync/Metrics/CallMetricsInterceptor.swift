import GRPCCore
import Metrics

/// Records every gRPC call's duration by method and final status code (`grpc_server_call_duration`, a histogram with
/// `rpc_method` and `grpc_code`): from the call's start to its last response message, so that a streamed pull is
/// measured whole and a failure while streaming is counted with its own code.
struct CallMetricsInterceptor: ServerInterceptor {
    func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>,
        context: ServerContext,
        next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
    ) async throws -> StreamingServerResponse<Output> {
        let started = ContinuousClock.now
        let method = context.descriptor.fullyQualifiedMethod
        let response: StreamingServerResponse<Output>
        do {
            response = try await next(request, context)
        } catch {
            Self.record(method, started, error)
            throw error
        }
        switch response.accepted {
        case .failure(let error):
            Self.record(method, started, error)
            return response
        case .success(var contents):
            let producer = contents.producer
            contents.producer = { writer in
                do {
                    let trailers = try await producer(writer)
                    Self.record(method, started, nil)
                    return trailers
                } catch {
                    Self.record(method, started, error)
                    throw error
                }
            }
            return StreamingServerResponse(accepted: .success(contents))
        }
    }

    /// `error` nil: OK; an error that is not an ``RPCError`` ends the call as UNKNOWN, as gRPC does.
    static func record(_ method: String, _ started: ContinuousClock.Instant, _ error: (any Error)?) {
        let code = error.map { ($0 as? RPCError)?.code.description ?? "unknown" } ?? "ok"
        Timer(label: "grpc_server_call_duration", dimensions: [("rpc_method", method), ("grpc_code", code)], preferredDisplayUnit: .seconds)
            .record(duration: ContinuousClock.now - started)
    }
}
