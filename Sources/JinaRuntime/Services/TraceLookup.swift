import GRPCCore
import JinaObservability

/// A call's trace context (`traceparent`, `tracestate`) as `ExecutorRuntime.process` reads it;
/// nil without a `traceparent` (or with tracing off).
enum TraceLookup {
    static func of(_ metadata: Metadata) -> (@Sendable (String) -> String?)? {
        guard RequestTracing.isOn else { return nil }
        var headers: [String: String] = [:]
        for key in RequestTracing.headerNames {
            for value in metadata[stringValues: key] {
                headers[key] = value
                break
            }
        }
        return of(headers)
    }

    static func of(_ headers: [String: String]) -> (@Sendable (String) -> String?)? {
        guard RequestTracing.isOn, headers["traceparent"] != nil else { return nil }
        return { headers[$0] }
    }
}
