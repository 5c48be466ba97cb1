import Foundation
import JinaCore
@testable import JinaOrchestrator
import Testing

@Suite("planning the processes of a Flow")
struct FlowPlanTests {
    let directory = RunDirectory(path: "/tmp/jina-1-abcdef")

    func flow(_ text: String) throws -> Flow {
        let result = FlowLoader.load(text: "jtype: Flow\n" + text, file: "test.yml", environment: [:])
        #expect(!result.diagnostics.hasErrors, "\(DiagnosticRenderer.text(result.diagnostics))")
        return try #require(result.flow)
    }

    @Test("a built-in runs as `jina executor` from the running binary, one process per shard and replica")
    func builtinShardsAndReplicas() throws {
        let flow = try flow("""
            executors:
              - name: indexer
                uses: TextAppend
                uses_with: {text: "!"}
                shards: 2
                replicas: 2
                env: {A: "1"}
                timeout_ready: 1500
            """)
        let plan = try FlowPlan(flow: flow, runDirectory: directory, flowDirectory: "/flows", executablePath: "/bin/jina")
        #expect(plan.replicas.count == 4)
        let first = plan.replicas[0]
        #expect(first.executable == "/bin/jina")
        #expect(first.arguments == [
            "executor", "--uses", "TextAppend", "--uses-with", #"{"text":"!"}"#, "--name", "indexer",
            "--replica-id", "0", "--shard-id", "0", "--socket", "/tmp/jina-1-abcdef/indexer-s0-r0.sock",
        ])
        #expect(first.environment == ["A": "1"])
        #expect(first.readyTimeout == .milliseconds(1500))
        #expect(plan.replicas.map(\.label) == [
            "indexer shard 0 replica 0", "indexer shard 0 replica 1", "indexer shard 1 replica 0", "indexer shard 1 replica 1",
        ])
        #expect(plan.replicas[3].socketPath == "/tmp/jina-1-abcdef/indexer-s1-r1.sock")
        #expect(plan.addresses["indexer"] == [
            [.unix(path: "/tmp/jina-1-abcdef/indexer-s0-r0.sock"), .unix(path: "/tmp/jina-1-abcdef/indexer-s0-r1.sock")],
            [.unix(path: "/tmp/jina-1-abcdef/indexer-s1-r0.sock"), .unix(path: "/tmp/jina-1-abcdef/indexer-s1-r1.sock")],
        ])
    }

    @Test("one shard: no --shard-id; no uses_with: no --uses-with; the label is the name")
    func single() throws {
        let flow = try flow("executors:\n  - name: a\n    uses: Identity\n")
        let plan = try FlowPlan(flow: flow, runDirectory: directory, flowDirectory: "/flows", executablePath: "/bin/jina")
        #expect(plan.replicas.map(\.arguments) == [[
            "executor", "--uses", "Identity", "--name", "a", "--replica-id", "0", "--socket", "/tmp/jina-1-abcdef/a-s0-r0.sock",
        ]])
        #expect(plan.replicas[0].label == "a")
    }

    @Test("an external executor is connected to, one replica per port, and not started")
    func external() throws {
        let flow = try flow("""
            executors:
              - name: remote
                external: true
                host: 10.0.0.5
                port: [8001, 8002]
            """)
        let plan = try FlowPlan(flow: flow, runDirectory: directory, flowDirectory: "/flows", executablePath: "/bin/jina")
        #expect(plan.replicas.isEmpty)
        #expect(plan.externalExecutors == ["remote"])
        #expect(plan.addresses["remote"] == [[.tcp(host: "10.0.0.5", port: 8001, tls: false), .tcp(host: "10.0.0.5", port: 8002, tls: false)]])
    }

    @Test("a custom program starts from the Flow file's folder with the same flags, without --uses")
    func program() throws {
        let folder = NSTemporaryDirectory() + "plan-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder + "/bin", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = FileManager.default.createFile(atPath: folder + "/bin/upper", contents: Data("#!/bin/sh\n".utf8), attributes: [.posixPermissions: 0o755])
        let flow = try flow("executors:\n  - name: up\n    uses: ./bin/upper\n    uses_with: {suffix: '?'}\n")
        let plan = try FlowPlan(flow: flow, runDirectory: directory, flowDirectory: folder, executablePath: "/bin/jina")
        #expect(plan.replicas[0].executable == folder + "/bin/upper")
        #expect(plan.replicas[0].arguments == [
            "--uses-with", #"{"suffix":"?"}"#, "--name", "up", "--replica-id", "0", "--socket", "/tmp/jina-1-abcdef/up-s0-r0.sock",
        ])
    }

    @Test("a missing program is reported before anything starts")
    func missingProgram() throws {
        let flow = try flow("executors:\n  - name: up\n    uses: ./nowhere/upper\n")
        #expect {
            try FlowPlan(flow: flow, runDirectory: directory, flowDirectory: "/tmp", executablePath: "/bin/jina")
        } throws: { error in
            (error as? OrchestratorError)?.summary.contains("no such file") == true
        }
    }

    @Test("a Docker image is refused: no Docker engine is used by `jina flow`")
    func docker() throws {
        let flow = try flow("executors:\n  - name: img\n    uses: docker://example/encoder:1\n")
        #expect {
            try FlowPlan(flow: flow, runDirectory: directory, flowDirectory: "/tmp", executablePath: "/bin/jina")
        } throws: { error in
            guard let error = error as? OrchestratorError else { return false }
            return error.summary.contains("does not use a Docker engine") && error.kind == .runtime
                && error.hint?.contains("external") == true
        }
    }

    @Test("an executor YAML (jtype, with) runs the built-in with the Flow's uses_with on top")
    func configFile() throws {
        let folder = NSTemporaryDirectory() + "plan-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "jtype: TextAppend\nwith:\n  text: from-file\n".write(toFile: folder + "/append.yml", atomically: true, encoding: .utf8)
        let flow = try flow("executors:\n  - name: a\n    uses: append.yml\n  - name: b\n    uses: append.yml\n    uses_with: {text: over}\n")
        let plan = try FlowPlan(flow: flow, runDirectory: directory, flowDirectory: folder, executablePath: "/bin/jina")
        #expect(Array(plan.replicas[0].arguments.prefix(5)) == ["executor", "--uses", "TextAppend", "--uses-with", #"{"text":"from-file"}"#])
        #expect(Array(plan.replicas[1].arguments.prefix(5)) == ["executor", "--uses", "TextAppend", "--uses-with", #"{"text":"over"}"#])
    }

    @Test("dynamic batching: an executor YAML's dynamic_batching with the Flow's uses_dynamic_batching laid over it, setting by setting; exit_on_exceptions as one flag")
    func batchingAndExitFlags() throws {
        let folder = NSTemporaryDirectory() + "plan-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "jtype: TextAppend\ndynamic_batching:\n  /a: {preferred_batch_size: 16, timeout: 50}\n"
            .write(toFile: folder + "/append.yml", atomically: true, encoding: .utf8)
        let flow = try flow("""
            executors:
              - name: a
                uses: append.yml
                uses_dynamic_batching: {/a: {timeout: 5}, /b: {flush_all: true}}
                exit_on_exceptions: [ModelError, Timeout]
            """)
        let plan = try FlowPlan(flow: flow, runDirectory: directory, flowDirectory: folder, executablePath: "/bin/jina")
        let arguments = plan.replicas[0].arguments
        let batching = try #require(arguments.firstIndex(of: "--uses-dynamic-batching")).advanced(by: 1)
        #expect(arguments[batching] == #"{"/a":{"preferred_batch_size":16,"timeout":5},"/b":{"flush_all":true}}"#)
        let exits = try #require(arguments.firstIndex(of: "--exit-on-exceptions")).advanced(by: 1)
        #expect(arguments[exits] == "ModelError,Timeout")
    }

    @Test("relative paths start at the Flow's folder")
    func resolve() {
        #expect(ExecutorLaunch.resolve("./bin/x", in: "/flows") == "/flows/bin/x")
        #expect(ExecutorLaunch.resolve("bin/x", in: "/flows/") == "/flows/bin/x")
        #expect(ExecutorLaunch.resolve("/opt/x", in: "/flows") == "/opt/x")
    }
}
