import Metrics
import Prometheus

/// The process's metrics: swift-metrics bootstrapped once with a Prometheus registry that `/metrics` reads.
public enum ServerMetrics {
    /// The registry every metric of the process is kept in. Bootstraps swift-metrics on first use (once per
    /// process, as swift-metrics allows), so that a test process and `cds-server` alike get one registry.
    public static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Requests and calls take milliseconds; a push or a report can take minutes.
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5),
            .seconds(10), .seconds(30), .seconds(60), .seconds(300),
        ]
        // swift-metrics labels in the dotted OpenTelemetry style (Hummingbird's) become Prometheus names.
        factory.nameAndLabelSanitizer = { name, labels in
            (name.replacingOccurrences(of: ".", with: "_"), labels.map { label, value in (label.replacingOccurrences(of: ".", with: "_"), value) })
        }
        MetricsSystem.bootstrap(factory)
        return registry
    }()
}
