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
public enum RequestTracing {
    private static let on = Atomic<Bool>(false)
    private static let bootstrapped = Mutex(false)

    /// Whether this process traces requests.
    @inline(__always)
    public static var isOn: Bool { on.load(ordering: .relaxed) }

    /// Makes swift-otel's tracer this process's tracer, sampling and exporting as `settings`
    /// say, with `serviceName` as the resource's `service.name` and `instance` (the runtime
    /// name, `encoder/rep-0`) as its `service.instance.id`. Only the first call in a process
    /// takes effect (swift-distributed-tracing allows one bootstrap); later calls return nil.
    public static func bootstrap(
        _ settings: TracingSettings, serviceName: String, instance: String, logger: Logger
    ) throws(TracingError) -> TracingExporter? {
        let first = bootstrapped.withLock { done in
            defer { done = true }
            return !done
        }
        guard first else { return nil }
        var configuration = OTel.Configuration.default
        configuration.serviceName = serviceName
        configuration.resourceAttributes["service.instance.id"] = instance
        configuration.diagnosticLogger = .custom(logger)
        configuration.diagnosticLogLevel = .warning
        configuration.metrics.enabled = false
        configuration.logs.enabled = false
        configuration.traces.enabled = true
        configuration.traces.exporter = .otlp
        configuration.traces.otlpExporter.protocol = .grpc
        configuration.traces.otlpExporter.endpoint = settings.endpoint
        guard let sampler = OTel.Configuration.TracesConfiguration.SamplerConfiguration.parentBasedTraceIDRatio(ratio: settings.samplingRatio) else {
            throw TracingError("traces sampling ratio \(settings.samplingRatio) is outside 0-1")
        }
        configuration.traces.sampler = sampler
        let backend: (factory: any Tracer, service: any Service)
        do {
            let made = try OTel.makeTracingBackend(configuration: configuration)
            backend = (made.factory, made.service)
        } catch {
            throw TracingError("the OpenTelemetry tracer for \(settings.endpoint) could not be made: \(error)")
        }
        InstrumentationSystem.bootstrap(backend.factory)
        on.store(true, ordering: .relaxed)
        return TracingExporter(service: backend.service, logger: logger)
    }

    // MARK: propagation

    /// The W3C keys a trace context travels under.
    static let keys = ["traceparent", "tracestate"]

    /// The current task's trace context as headers/metadata to send to the next process (W3C
    /// `traceparent`, `tracestate`); nil when tracing is off or no span is current.
    public static func outgoingHeaders() -> [String: String]? {
        guard isOn, let context = ServiceContext.current else { return nil }
        var headers: [String: String] = [:]
        InstrumentationSystem.instrument.inject(context, into: &headers, using: DictionaryInjector())
        return headers.isEmpty ? nil : headers
    }

    /// Runs `body` with the trace context a caller sent (`lookup` reads a header or metadata
    /// key) as the current one, so the spans `body` starts join the caller's trace. With tracing
    /// off, or no `traceparent`, `body` just runs.
    public static func withIncoming<T>(
        _ lookup: (String) -> String?, isolation: isolated (any Actor)? = #isolation, _ body: () async throws -> T
    ) async rethrows -> T {
        guard isOn, let parent = lookup("traceparent") else { return try await body() }
        var headers = ["traceparent": parent]
        if let state = lookup("tracestate") { headers["tracestate"] = state }
        var context = ServiceContext.current ?? .topLevel
        InstrumentationSystem.instrument.extract(headers, into: &context, using: DictionaryExtractor())
        return try await ServiceContext.withValue(context) { try await body() }
    }

    /// Starts a span as a child of the current trace context; nil when tracing is off. The caller
    /// ends it, and runs the work it covers under `ServiceContext.withValue(span.context)`.
    public static func startSpan(_ name: String, kind: SpanKind) -> (any Span)? {
        guard isOn else { return nil }
        return InstrumentationSystem.tracer.startSpan(name, context: ServiceContext.current ?? .topLevel, ofKind: kind)
    }

    /// Log metadata naming the current request's trace (`trace_id`, `span_id`) when it is
    /// sampled, so a log line leads to its trace; empty otherwise.
    public static let logMetadata = Logger.MetadataProvider {
        guard isOn else { return [:] }
        var metadata = otelMetadata.get()
        guard metadata.removeValue(forKey: "trace_flags").map({ "\($0)" == "1" }) == true else { return [:] }
        return metadata
    }

    private static let otelMetadata = OTel.makeLoggingMetadataProvider()
}

/// Why tracing could not start (bad settings: exit status 2).
public struct TracingError: UserFacingError, CustomStringConvertible {
    public let description: String
    public var kind: FailureKind { .invalidInput }
    public var summary: String { description }
    public var hint: String? { "check tracing, traces_exporter_host, traces_exporter_port and traces_sampling_ratio" }

    public init(_ description: String) {
        self.description = description
    }
}

/// The exporter of a process's spans: runs beside the process's work and, when that work ends,
/// sends the spans still queued before the process exits.
public struct TracingExporter: Sendable {
    let service: any Service
    let logger: Logger

    /// Runs `body` with the exporter working beside it; once `body` returns (or throws), the
    /// spans still queued are flushed (bounded by the exporter's timeout) and the exporter stops.
    public func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        let group = ServiceGroup(configuration: .init(services: [service], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                let result = try await body()
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }
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

/// Optionally runs `body` with tracing: the exporter beside it when there is one.
extension Optional where Wrapped == TracingExporter {
    public func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        switch self {
        case .some(let exporter): try await exporter.run(body)
        case .none: try await body()
        }
    }
}
