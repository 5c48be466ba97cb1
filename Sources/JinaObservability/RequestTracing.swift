public import Instrumentation
public import JinaCore
public import Logging
import OTel
public import ServiceContextModule
import ServiceLifecycle
import Synchronization
public import Tracing

/// OpenTelemetry tracing of one process (docs/monitoring.md): swift-otel's tracer behind
/// swift-distributed-tracing's global `InstrumentationSystem`, exporting over OTLP/gRPC.
///
/// While tracing is off (the default) nothing is bootstrapped and `isOn` is false: the request
/// path checks that one flag and creates no spans, reads no headers and adds no metadata.
/// Trace context crosses processes as W3C `traceparent` (and `tracestate`): in gRPC metadata,
/// in local-wire request metadata, and in HTTP headers from clients.
///
/// Sampling is decided here, before the tracer is asked: a request whose caller sent a
/// `traceparent` follows the caller's sampled flag, any other is traced with probability
/// `samplingRatio`. A request that is not traced gets no span and sends no context on, so it
/// costs a flag check and, at most, one random draw (a process behind a tracing gateway is
/// started with ratio 0: it traces exactly what the gateway traces).
public enum RequestTracing {
    private static let on = Atomic<Bool>(false)
    private static let bootstrapped = Mutex(false)
    /// `samplingRatio` in millionths (1_000_000 = every request).
    private static let ratio = Atomic<Int>(0)

    /// Whether this process traces requests.
    @inline(__always)
    public static var isOn: Bool { on.load(ordering: .relaxed) }

    /// Makes swift-otel's tracer this process's tracer, sampling and exporting as `settings`
    /// say, with `serviceName` as the resource's `service.name` and `instance` (the runtime
    /// name, `encoder/rep-0`) as its `service.instance.id`. Only the first call in a process
    /// takes effect (swift-distributed-tracing allows one bootstrap); later calls return nil.
    public static func bootstrap(
        _ settings: TracingSettings, serviceName: String, instance: String, logger: Logger
    ) throws(TelemetryError) -> TelemetryExporter? {
        let first = bootstrapped.withLock { done in
            defer { done = true }
            return !done
        }
        guard first else { return nil }
        var configuration = OTel.Configuration.jina(serviceName: serviceName, instance: instance, logger: logger)
        configuration.traces.enabled = true
        configuration.traces.exporter = .otlp
        configuration.traces.otlpExporter.protocol = .grpc
        configuration.traces.otlpExporter.endpoint = settings.endpoint
        guard (0...1).contains(settings.samplingRatio) else {
            throw TelemetryError(hint: "traces_sampling_ratio is a number from 0 to 1", "traces sampling ratio \(settings.samplingRatio) is outside 0-1")
        }
        // Roots are sampled here (`startSpan`); the tracer records every span it is asked for.
        configuration.traces.sampler = .parentBasedAlwaysOn
        let backend: (factory: any Tracer, service: any Service)
        do {
            let made = try OTel.makeTracingBackend(configuration: configuration)
            backend = (made.factory, made.service)
        } catch {
            throw TelemetryError(hint: "check traces_exporter_host and traces_exporter_port", "the OpenTelemetry tracer for \(settings.endpoint) could not be made: \(error)")
        }
        InstrumentationSystem.bootstrap(backend.factory)
        ratio.store(Int((settings.samplingRatio * 1_000_000).rounded()), ordering: .relaxed)
        on.store(true, ordering: .relaxed)
        return TelemetryExporter(services: [backend.service], logger: logger)
    }

    // MARK: propagation

    /// The current task's trace context as headers/metadata to send to the next process (W3C
    /// `traceparent`, `tracestate`); nil when tracing is off or no span is current.
    public static func outgoingHeaders() -> [String: String]? {
        guard isOn, inTrace, let context = ServiceContext.current else { return nil }
        var headers: [String: String] = [:]
        InstrumentationSystem.instrument.inject(context, into: &headers, using: DictionaryInjector())
        return headers.isEmpty ? nil : headers
    }

    /// Runs `body` with the trace context a caller sent (`lookup` reads a header or metadata
    /// key) as the current one, so the spans `body` starts join the caller's trace. A caller's
    /// context that is not sampled makes `body` untraced. With tracing off, or no
    /// `traceparent`, `body` just runs (and `startSpan` decides by the ratio).
    public static func withIncoming<T>(
        _ lookup: (String) -> String?, isolation: isolated (any Actor)? = #isolation, _ body: () async throws -> T
    ) async rethrows -> T {
        // A `traceparent` that is not valid is ignored (W3C): the ratio decides.
        guard isOn, let parent = lookup("traceparent"), let sampled = sampledFlag(parent) else { return try await body() }
        guard sampled else {
            return try await $untraced.withValue(true) { try await body() }
        }
        var headers = ["traceparent": parent]
        if let state = lookup("tracestate") { headers["tracestate"] = state }
        var context = ServiceContext.current ?? .topLevel
        InstrumentationSystem.instrument.extract(headers, into: &context, using: DictionaryExtractor())
        return try await ServiceContext.withValue(context) { try await $inTrace.withValue(true) { try await body() } }
    }

    /// Runs `body` as the work `span` covers: the spans it starts are its children and the
    /// calls it makes carry its context.
    public static func within<T>(
        _ span: any Span, isolation: isolated (any Actor)? = #isolation, _ body: () async throws -> T
    ) async rethrows -> T {
        try await ServiceContext.withValue(span.context) { try await $inTrace.withValue(true) { try await body() } }
    }

    /// The headers (gRPC metadata keys) a trace context travels under.
    public static let headerNames = ["traceparent", "tracestate"]

    /// The trace context headers `lookup` finds, to carry to where the request is handled later.
    public static func headers(from lookup: (String) -> String?) -> [String: String] {
        var headers: [String: String] = [:]
        for name in headerNames { headers[name] = lookup(name) }
        return headers
    }

    /// Set while a request runs whose caller decided not to trace it.
    @TaskLocal private static var untraced = false
    /// Set while a traced request runs (`ServiceContext.current` holds its span context).
    @TaskLocal private static var inTrace = false

    /// Whether a `traceparent` (`VV-<32 hex trace id>-<16 hex span id>-<2 hex flags>`) has the
    /// sampled flag; nil when it is not valid W3C trace context (version `ff`, ids of zeros, a
    /// wrong length or character), which is then ignored as the specification asks.
    static func sampledFlag(_ traceparent: String) -> Bool? {
        let bytes = Array(traceparent.utf8)
        // Version 00 is exactly 55 bytes; later versions may append `-…` fields.
        guard bytes.count == 55 || (bytes.count > 55 && bytes[55] == UInt8(ascii: "-")),
              bytes[2] == UInt8(ascii: "-"), bytes[35] == UInt8(ascii: "-"), bytes[52] == UInt8(ascii: "-")
        else { return nil }
        func hex(_ range: Range<Int>) -> [UInt8]? {
            let digits = bytes[range].map(hexValue)
            return digits.contains(nil) ? nil : digits.map { $0! }
        }
        guard let version = hex(0..<2), version != [15, 15], let trace = hex(3..<35), trace.contains(where: { $0 != 0 }),
              let span = hex(36..<52), span.contains(where: { $0 != 0 }), let flags = hex(53..<55),
              bytes.count == 55 || version != [0, 0]
        else { return nil }
        return flags[1] & 1 == 1
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }

    /// Starts a span as a child of the current trace context, or — a SERVER span with no
    /// current context — as the root of a new trace with probability `samplingRatio`; nil when
    /// tracing is off or the request is not traced. The caller ends it, and runs the work it
    /// covers under `within(span)`.
    public static func startSpan(_ name: String, kind: SpanKind) -> (any Span)? {
        guard isOn, !untraced else { return nil }
        if inTrace, let context = ServiceContext.current {
            return InstrumentationSystem.tracer.startSpan(name, context: context, ofKind: kind)
        }
        guard kind == .server, sampleRoot() else { return nil }
        return InstrumentationSystem.tracer.startSpan(name, context: .topLevel, ofKind: kind)
    }

    /// One root decision at the configured ratio.
    private static func sampleRoot() -> Bool {
        let share = ratio.load(ordering: .relaxed)
        if share >= 1_000_000 { return true }
        if share <= 0 { return false }
        return Int.random(in: 0..<1_000_000) < share
    }

    /// Log metadata naming the current request's trace (`trace_id`, `span_id`) when it is
    /// sampled, so a log line leads to its trace; empty otherwise.
    public static let logMetadata = Logger.MetadataProvider {
        guard isOn else { return [:] }
        var metadata = otelMetadata.get()
        // `trace_flags` is the flags byte in decimal: bit 0 is "sampled".
        guard let flags = metadata.removeValue(forKey: "trace_flags").flatMap({ UInt8("\($0)") }), flags & 1 == 1 else { return [:] }
        return metadata
    }

    private static let otelMetadata = OTel.makeLoggingMetadataProvider()
}

private struct DictionaryInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) {
        carrier[key] = value
    }
}

private struct DictionaryExtractor: Extractor {
    func extract(key: String, from carrier: [String: String]) -> String? {
        carrier[key]
    }
}
