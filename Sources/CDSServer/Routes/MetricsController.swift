import Hummingbird
import Prometheus

/// `GET /metrics`: every counter, gauge and histogram of the process in Prometheus's text format. The values carry
/// routes, methods, codes and district codes, never a person's data; still, keep the path to the operators'
/// network at the load balancer.
struct MetricsController: Sendable {
    let registry: PrometheusCollectorRegistry

    func addRoutes(to router: Router<some RequestContext>) {
        router.get("metrics") { _, _ in
            var buffer: [UInt8] = []
            buffer.reserveCapacity(64 * 1024)
            registry.emit(into: &buffer)
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: buffer))
            )
        }
    }
}
