import GRPCCore
import Metrics

/// Records every gRPC call's duration by method and final status code (`grpc_server_call_duration`, a histogram with
/// `rpc_method` and `grpc_code`): from the call's start to its last response message, so that a streamed pull is
/// measured whole and a failure while streaming is counted with its own code.
struct CallMetricsInterceptor: CallEndingInterceptor {
    func end(of context: ServerContext) -> @Sendable ((any Error)?) -> (any Error)? {
        let started = ContinuousClock.now
        let method = context.descriptor.fullyQualifiedMethod
        return { error in
            let code = error.map { ($0 as? RPCError)?.code.description ?? "unknown" } ?? "ok"
            Timer(label: "grpc_server_call_duration", dimensions: [("rpc_method", method), ("grpc_code", code)], preferredDisplayUnit: .seconds)
                .record(duration: ContinuousClock.now - started)
            return error
        }
    }
}
