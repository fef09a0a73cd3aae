import CDSRosterProto
import GRPCCore

/// `grpc.health.v1.Health`, for grpc_health_probe-style checks: the server as a whole ("") and the roster sync
/// service are serving while the server runs; any other name is unknown.
struct HealthService: Grpc_Health_V1_Health.SimpleServiceProtocol {
    static let services: Set<String> = ["", "cds.roster.v1.RosterSync", "grpc.health.v1.Health"]

    func check(request: Grpc_Health_V1_HealthCheckRequest, context: ServerContext) async throws -> Grpc_Health_V1_HealthCheckResponse {
        guard Self.services.contains(request.service) else {
            throw RPCError(code: .notFound, message: "no service is named '\(request.service)'")
        }
        return .with { $0.status = .serving }
    }

    /// The status now; it does not change while the server runs, so the stream then waits for the call to end.
    func watch(
        request: Grpc_Health_V1_HealthCheckRequest,
        response: RPCWriter<Grpc_Health_V1_HealthCheckResponse>,
        context: ServerContext
    ) async throws {
        try await response.write(.with { $0.status = Self.services.contains(request.service) ? .serving : .serviceUnknown })
        while !Task.isCancelled { try await Task.sleep(for: .seconds(3600)) }
    }
}
