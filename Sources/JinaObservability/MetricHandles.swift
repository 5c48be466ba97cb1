public import CoreMetrics
public import Prometheus

// The handles `MetricsRegistry` makes: each records into its Prometheus series and, with
// OpenTelemetry metrics on, into the instrument of the same name and labels.

/// A counter (`jina_successful_requests_total`…).
public struct MetricCounter: Sendable {
    let prometheus: Prometheus.Counter
    let otel: CoreMetrics.Counter?

    public func increment(by amount: Int64 = 1) {
        prometheus.increment(by: amount)
        otel?.increment(by: amount)
    }
}

/// A gauge moved up and down (`jina_number_of_pending_requests`…).
public struct MetricGauge: Sendable {
    let prometheus: Prometheus.Gauge
    let otel: Meter?

    public func increment() {
        prometheus.increment()
        otel?.increment()
    }

    public func decrement() {
        prometheus.decrement()
        otel?.decrement()
    }
}

/// A histogram of durations, in seconds (`jina_receiving_request_seconds`…).
public struct MetricDurations: Sendable {
    let prometheus: DurationHistogram
    let otel: CoreMetrics.Timer?

    public func record(_ duration: Duration) {
        prometheus.record(duration)
        if let otel {
            let (seconds, attoseconds) = duration.components
            otel.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        }
    }
}

/// A histogram of values (bytes, documents).
public struct MetricValues: Sendable {
    let prometheus: ValueHistogram
    let otel: Recorder?

    public func record(_ value: Double) {
        prometheus.record(value)
        otel?.record(value)
    }
}
