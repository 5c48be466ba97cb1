import JinaCore
import Testing

/// The tracing keys: inheritance from `with:`, the collector's address and scheme, the sampling
/// ratio's range, and the flags they turn into.
@Suite struct TracingSettingsTests {
    @Test func withTurnsTracingOnForTheGatewayAndEveryExecutor() throws {
        let flow = try validFlow("""
            jtype: Flow
            with:
              tracing: true
              traces_exporter_host: collector.local
              traces_exporter_port: 4999
            executors:
              - name: a
              - name: b
                tracing: false
            """)
        let expected = TracingSettings(host: "collector.local", port: 4999)
        #expect(flow.gateway.tracing == expected)
        #expect(flow.executors[0].tracing == expected)
        #expect(flow.executors[1].tracing == nil)
    }

    @Test func exporterKeysWithoutTracingChangeNothing() throws {
        let flow = try validFlow("jtype: Flow\nwith:\n  traces_exporter_port: 4999\nexecutors:\n  - name: a\n")
        #expect(flow.gateway.tracing == nil && flow.executors[0].tracing == nil)
    }

    @Test func theHostsSchemeDecidesTLS() {
        let plain = TracingSettings(host: "http://127.0.0.1", port: 4317)
        #expect(!plain.tls && plain.host == "127.0.0.1" && plain.endpoint == "http://127.0.0.1:4317")
        let bare = TracingSettings(host: "collector", port: nil)
        #expect(!bare.tls && bare.endpoint == "http://collector:4317")
        let secure = TracingSettings(host: "https://otel.example.com/", port: 443)
        #expect(secure.tls && secure.endpoint == "https://otel.example.com:443")
        #expect(TracingSettings().endpoint == "http://localhost:4317")
        #expect(TracingSettings(host: "::1", port: 4317).endpoint == "http://[::1]:4317")
    }

    @Test func pythonWorkersGetAnExplicitSchemeAndTheSamplerByEnvironment() {
        let settings = TracingSettings(host: "127.0.0.1", port: 5000, samplingRatio: 0.25)
        #expect(settings.jinaArguments == ["--tracing", "--traces-exporter-host", "http://127.0.0.1", "--traces-exporter-port", "5000"])
        #expect(settings.arguments == settings.jinaArguments + ["--traces-sampling-ratio", "0.25"])
        let environment = settings.samplerEnvironment(["A": "1"])
        #expect(environment == ["A": "1", "OTEL_TRACES_SAMPLER": "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG": "0.25"])
        // A sampler the user chose stays; a ratio of 1 adds nothing.
        #expect(settings.samplerEnvironment(["OTEL_TRACES_SAMPLER": "always_on"]) == ["OTEL_TRACES_SAMPLER": "always_on"])
        #expect(TracingSettings().samplerEnvironment([:]) == [:])
    }

    @Test func theSamplingRatioIsANumberFromZeroToOne() throws {
        let flow = try validFlow("jtype: Flow\ngateway:\n  tracing: true\n  traces_sampling_ratio: 0.01\n")
        #expect(flow.gateway.tracing?.samplingRatio == 0.01)
        #expect(try validFlow("jtype: Flow\ngateway:\n  tracing: true\n  traces_sampling_ratio: 0\n").gateway.tracing?.samplingRatio == 0)
        let outside = loadFlow("jtype: Flow\ngateway:\n  tracing: true\n  traces_sampling_ratio: 1.5\n")
        #expect(renderedDiagnostics(outside.diagnostics).hasPrefix("4:26: error: traces_sampling_ratio: 1.5 is outside 0-1"))
        let word = loadFlow("jtype: Flow\ngateway:\n  traces_sampling_ratio: half\n")
        #expect(renderedDiagnostics(word.diagnostics) == "3:26: error: traces_sampling_ratio: expected a number from 0 to 1, got the string \"half\"")
    }

    @Test func metricsKeysTurnOnTheExportWithJinasFlags() throws {
        let flow = try validFlow("""
            jtype: Flow
            with:
              metrics: true
              metrics_exporter_host: 127.0.0.1
              metrics_exporter_port: 4999
            executors:
              - name: a
            """)
        let expected = MetricsExportSettings(host: "127.0.0.1", port: 4999)
        #expect(flow.gateway.metricsExport == expected && flow.executors[0].metricsExport == expected)
        #expect(expected.arguments == ["--metrics", "--metrics-exporter-host", "http://127.0.0.1", "--metrics-exporter-port", "4999"])
        #expect(try validFlow("jtype: Flow\nwith:\n  metrics_exporter_port: 4999\n").gateway.metricsExport == nil)
    }

    @Test func behindATracingGatewayExecutorsStartNoTraces() throws {
        let flow = try validFlow("""
            jtype: Flow
            executors:
              - name: a
                tracing: true
                traces_sampling_ratio: 0.5
            """)
        #expect(flow.tracing(of: flow.executors[0])?.samplingRatio == 0.5)
        let traced = try validFlow("""
            jtype: Flow
            with:
              tracing: true
              traces_sampling_ratio: 0.5
            executors:
              - name: a
            """)
        #expect(traced.gateway.tracing?.samplingRatio == 0.5)
        #expect(traced.tracing(of: traced.executors[0])?.samplingRatio == 0)
        #expect(traced.launched(traced.executors[0]).tracing?.samplingRatio == 0)
    }
}
