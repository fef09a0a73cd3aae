/// Prometheus's text format, as `/metrics` answers it, read back: the value of one sample.
public struct MetricsText: Sendable {
    public let text: String

    public init(_ text: String) { self.text = text }

    /// The value of the sample `name` whose labels include `labels`, summed over the samples that match; nil when none does.
    public func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        var total: Double?
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            let series = line[..<space]
            let metric = series.prefix { $0 != "{" }
            guard metric == name else { continue }
            let labelText = series.dropFirst(metric.count)
            guard labels.allSatisfy({ labelText.contains("\($0.key)=\"\($0.value)\"") }) else { continue }
            total = (total ?? 0) + value
        }
        return total
    }
}
