import JinaCore
import JinaObservability
@testable import JinaOrchestrator
import Synchronization
import Testing

@Suite("planning metrics and log flags of a Flow's processes")
struct FlowPlanMonitoringTests {
    let directory = RunDirectory(path: "/tmp/jina-1-abcdef")

    func flow(_ text: String) throws -> Flow {
        let result = FlowLoader.load(text: "jtype: Flow\n" + text, file: "test.yml", environment: [:])
        #expect(!result.diagnostics.hasErrors, "\(DiagnosticRenderer.text(result.diagnostics))")
        return try #require(result.flow)
    }

    @Test("`port_monitoring` goes to the first process, the others get picked ports; only monitoring executors get any")
    func monitoringPorts() throws {
        let flow = try flow("""
            executors:
              - name: idx
                uses: Identity
                monitoring: true
                port_monitoring: 9100
                shards: 2
                replicas: 2
              - name: quiet
                uses: Identity
            """)
        let next = Mutex(20000)
        let plan = try FlowPlan(
            flow: flow, runDirectory: directory, flowDirectory: "/flows", executablePath: "/bin/jina",
            logging: LoggingConfiguration(format: .json, level: .debug),
            pickPort: { next.withLock { port in port += 1; return port } })
        #expect(plan.replicas.map(\.monitoringPort) == [9100, 20001, 20002, 20003, nil])
        #expect(plan.replicas.map(\.runtimeName) == [
            "idx/shard-0/rep-0", "idx/shard-0/rep-1", "idx/shard-1/rep-0", "idx/shard-1/rep-1", "quiet/rep-0",
        ])
        #expect(Array(plan.replicas[1].arguments.suffix(7)) == [
            "--monitoring", "--port-monitoring", "20001", "--log-format", "json", "--log-level", "debug",
        ])
        #expect(Array(plan.replicas[4].arguments.suffix(4)) == ["--log-format", "json", "--log-level", "debug"])
        #expect(!plan.replicas[4].arguments.contains("--monitoring"))
    }

    @Test("default logging passes no log flags, so a custom program that knows none still starts")
    func defaultLoggingPassesNoFlags() throws {
        let flow = try flow("executors:\n  - name: a\n    uses: Identity\n")
        for logging in [nil, LoggingConfiguration()] {
            let plan = try FlowPlan(flow: flow, runDirectory: directory, flowDirectory: "/flows",
                                    executablePath: "/bin/jina", logging: logging)
            #expect(!plan.replicas[0].arguments.contains("--log-format"))
            #expect(!plan.replicas[0].arguments.contains("--log-level"))
        }
        let quiet = try FlowPlan(flow: flow, runDirectory: directory, flowDirectory: "/flows",
                                 executablePath: "/bin/jina", logging: LoggingConfiguration(quiet: true))
        #expect(Array(quiet.replicas[0].arguments.suffix(5)) == ["--log-format", "text", "--log-level", "info", "--quiet"])
    }

    @Test("a picked metrics port that repeats one already chosen, reserved or named in the file is picked again")
    func duplicatePortsArePickedAgain() throws {
        let flow = try flow("""
            with:
              port: 9000
            executors:
              - name: a
                uses: Identity
                monitoring: true
                replicas: 3
              - name: b
                uses: Identity
                monitoring: true
                port_monitoring: 9100
            """)
        let answers = Mutex([9000, 9100, 9200, 9300, 9300, 9400, 9500])
        let plan = try FlowPlan(
            flow: flow, runDirectory: directory, flowDirectory: "/flows", executablePath: "/bin/jina",
            reservedPorts: [9200], pickPort: { answers.withLock { $0.isEmpty ? nil : $0.removeFirst() } })
        #expect(plan.replicas.map(\.monitoringPort) == [9300, 9400, 9500, 9100])
    }

    @Test("the picker gives up when the kernel keeps handing out taken ports")
    func pickerGivesUp() {
        var picker = PortPicker(reserved: [7], pick: { 7 })
        #expect(picker.next() == nil)
    }

    @Test("the banner lists the aggregated, the gateway's and every process's metrics address")
    func bannerAddresses() throws {
        let flow = try flow("with:\n  monitoring: true\nexecutors:\n  - name: a\n    uses: Identity\n    replicas: 2\n")
        let plan = try FlowPlan(flow: flow, runDirectory: directory, flowDirectory: "/flows", executablePath: "/bin/jina",
                                pickPort: { [next = Mutex(9299)] in next.withLock { $0 += 1; return $0 } })
        let monitoring = FlowMonitoring(registry: MetricsRegistry(), host: "0.0.0.0", gatewayPort: 9201, aggregatePort: 9200)
        let lines = monitoring.addresses(plan)
        #expect(lines.map(\.0) == ["flow", "gateway", "a/rep-0", "a/rep-1"])
        #expect(lines.map(\.1) == [
            "http://0.0.0.0:9200/metrics", "http://0.0.0.0:9201/metrics",
            "http://127.0.0.1:9300/metrics", "http://127.0.0.1:9301/metrics",
        ])
    }
}
