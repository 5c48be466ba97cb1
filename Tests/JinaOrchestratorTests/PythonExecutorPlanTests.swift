import Foundation
import JinaCore
@testable import JinaOrchestrator
import Testing

@Suite("planning Python executors")
struct PythonExecutorPlanTests {
    let directory = RunDirectory(path: FileManager.default.temporaryDirectory.path + "/jina-pyplan-\(getpid())")

    init() throws {
        try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true)
    }

    func flow(_ text: String) throws -> Flow {
        let result = FlowLoader.load(text: "jtype: Flow\n" + text, file: "test.yml", environment: [:])
        #expect(!result.diagnostics.hasErrors, "\(DiagnosticRenderer.text(result.diagnostics))")
        return try #require(result.flow)
    }

    @Test("each replica: the lifeline shim, the interpreter, the bootstrap, Jina's flags, a loopback port")
    func replicas() throws {
        let flow = try flow("""
            executors:
              - name: enc
                uses: Encoder
                py_modules: [mods/enc.py]
                uses_with: {model: small}
                uses_metas: {name: e}
                allow_concurrent: true
                exit_on_exceptions: [ValueError, KeyError]
                tracing: false
                shards: 2
                timeout_ready: -1
                env: {A: "1"}
            """)
        var ports = [41001, 41002]
        let plan = try FlowPlan(flow: flow, runDirectory: directory, flowDirectory: "/flows", executablePath: "/bin/jina",
                                pickPort: { ports.isEmpty ? nil : ports.removeFirst() }, python: "/venv/bin/python")
        #expect(plan.pythonExecutors == ["enc"])
        #expect(plan.replicas.map(\.address) == [.tcp(host: "127.0.0.1", port: 41001, tls: false),
                                                 .tcp(host: "127.0.0.1", port: 41002, tls: false)])
        #expect(plan.addresses["enc"] == [[.tcp(host: "127.0.0.1", port: 41001, tls: false)],
                                          [.tcp(host: "127.0.0.1", port: 41002, tls: false)]])
        let second = plan.replicas[1]
        #expect(second.executable == "/bin/jina")
        #expect(second.arguments == [
            "_lifeline-exec", "/venv/bin/python", directory.path + "/python_worker.py",
            "--uses", "Encoder", "--py-modules", "/flows/mods/enc.py", "--extra-search-paths", "/flows",
            "--uses-with", #"{"model":"small"}"#,
            "--allow-concurrent", "--exit-on-exceptions", "ValueError", "KeyError", "--uses-metas", #"{"name":"e"}"#,
            "--timeout-ready", "-1",
            "--name", "enc/shard-1/rep-0", "--host", "127.0.0.1", "--port", "41002", "--replica-id", "0", "--shard-id", "1", "--shards", "2",
        ])
        #expect(second.readyTimeout == nil)
        #expect(second.environment["A"] == "1")
        #expect(second.environment["PYTHONUNBUFFERED"] == "1")
        let script = try String(contentsOfFile: directory.path + "/python_worker.py", encoding: .utf8)
        #expect(script == PythonLaunch.bootstrap)
    }

    @Test("an executor YAML naming a Python class goes to Python Jina whole; a built-in one stays ours")
    func configFile() throws {
        let folder = directory.path
        FileManager.default.createFile(atPath: folder + "/py.yml", contents: Data("""
            jtype: MyExec
            with: {a: 1}
            metas:
              py_modules: [my.py]
            requests: {/foo: bar}
            """.utf8))
        FileManager.default.createFile(atPath: folder + "/tagged.yml", contents: Data("!MyExec\nwith: {a: 1}\n".utf8))
        let flow = try flow("executors:\n  - uses: py.yml\n  - uses: tagged.yml\n    py_modules: my.py\n  - uses: TextAppend\n")
        let plan = try FlowPlan(flow: flow, runDirectory: directory, flowDirectory: folder, executablePath: "/bin/jina",
                                pickPort: { 42000 + Int.random(in: 0..<1000) }, python: "python3")
        #expect(plan.pythonExecutors == ["executor0", "executor1"])
        #expect(Array(plan.replicas[0].arguments[3...4]) == ["--uses", folder + "/py.yml"])
        #expect(Array(plan.replicas[1].arguments[3...6]) == ["--uses", folder + "/tagged.yml", "--py-modules", folder + "/my.py"])
        #expect(plan.replicas[2].address == .unix(path: folder + "/executor2-s0-r0.sock"))
    }

    @Test("a Python class in a YAML without modules is still not a built-in")
    func configWithoutModules() {
        #expect(throws: ExecutorConfigProblem.self) {
            try ExecutorConfigFile.parse("jtype: MyExec\nwith: {a: 1}\n", displayPath: "e.yml", executor: "a")
        }
        #expect((try? ExecutorConfigFile.parse("jtype: MyExec\n", displayPath: "e.yml", executor: "a", pythonModules: true))?.isPython == true)
    }

    @Test("CUDA_VISIBLE_DEVICES=RR… hands devices to replicas round-robin, per shard, as Python Jina does")
    func gpus() throws {
        let flow = try flow("""
            executors:
              - name: a
                uses: Identity
                replicas: 3
                env: {CUDA_VISIBLE_DEVICES: RR}
              - name: b
                uses: Identity
                replicas: 2
                shards: 2
              - name: c
                uses: Identity
                replicas: 2
                env: {CUDA_VISIBLE_DEVICES: "0,1"}
            """)
        let plan = try FlowPlan(flow: flow, runDirectory: directory, flowDirectory: "/f", executablePath: "/bin/jina",
                                environment: ["CUDA_VISIBLE_DEVICES": "RR1:"], gpuCount: { 2 })
        #expect(plan.replicas.map { $0.environment["CUDA_VISIBLE_DEVICES"] } == ["0", "1", "0", "1", "1", "1", "1", "0,1", "0,1"])
        let none = try FlowPlan(flow: flow, runDirectory: directory, flowDirectory: "/f", executablePath: "/bin/jina",
                                gpuCount: { 0 })
        #expect(none.replicas[0].environment["CUDA_VISIBLE_DEVICES"] == "RR")
    }

    @Test("the device table of Python Jina", arguments: [
        ("RR", 2, ["0", "1", "0"]), ("RR", 4, ["0", "1", "2"]), ("RR0:2", 4, ["0", "1", "0"]), ("RR[0:2]", 2, ["0", "1", "0"]),
        ("RR1,3", 2, ["1", "3", "1"]), ("RR1:", 4, ["1", "2", "3"]), ("RR:3", 4, ["0", "1", "2"]), ("RR::2", 4, ["0", "2", "0"]),
        ("RR-1:", 4, ["3", "3", "3"]), ("RR2", 4, ["2", "2", "2"]), ("RRGPU-a,GPU-b", 2, ["GPU-a", "GPU-b", "GPU-a"]),
    ] as [(String, Int, [String])])
    func deviceTable(value: String, count: Int, expected: [String]) {
        #expect((0..<3).map { CUDADevices.assign(value, replica: $0, deviceCount: count) } == expected)
    }

    @Test("nothing to hand out leaves the value alone")
    func noDevices() {
        #expect(CUDADevices.assign("RR", replica: 0, deviceCount: 0) == nil)
        #expect(CUDADevices.assign("RR2", replica: 0, deviceCount: 2) == nil)
        #expect(CUDADevices.assign("0,1", replica: 0, deviceCount: 2) == nil)
    }

    @Test("the interpreter check names what is missing and the pip line")
    func interpreterVerdict() throws {
        #expect(throws: Never.self) {
            try PythonInterpreter.verdict("py", lines: ["python=3.11.7", "docarray=0.40.1", "jina=3.34.0"])
        }
        let cases: [([String], String)] = [
            (["python=3.11.7", "docarray=0.40.1", "jina!ModuleNotFoundError: No module named 'jina'"], "cannot import `jina` (ModuleNotFoundError"),
            (["python=3.11.7", "docarray=0.40.1", "jina=2.7.0"], "has jina 2.7.0"),
            (["python=3.11.7", "docarray=0.21.0", "jina=3.34.0"], "has docarray 0.21.0"),
            ([], "is not a working Python 3 interpreter"),
        ]
        for (lines, expected) in cases {
            #expect {
                try PythonInterpreter.verdict("/opt/py", lines: lines)
            } throws: { error in
                let error = error as! OrchestratorError
                return error.summary.contains(expected) && error.summary.contains("/opt/py") && error.kind == .runtime
                    && (lines.isEmpty || error.hint?.contains("/opt/py -m pip install 'jina==3.34.0'") == true)
            }
        }
    }

    @Test("JINA_PYTHON wins over --python, which wins over python3 on PATH")
    func locate() {
        #expect(PythonInterpreter.locate(option: "/b/python", environment: ["JINA_PYTHON": "/a/python"]) == "/a/python")
        #expect(PythonInterpreter.locate(option: "/b/python", environment: [:]) == "/b/python")
        #expect(PythonInterpreter.locate(option: nil, environment: ["PATH": "/nonexistent"]) == nil)
        #expect(PythonInterpreter.locate(option: nil, environment: ["PATH": "/nonexistent:/bin:/usr/bin"])?.hasSuffix("/python3") == true
                || PythonInterpreter.locate(option: nil, environment: ["PATH": "/bin:/usr/bin"]) == nil)
    }

    @Test("Jina's command-line form of each value")
    func flags() {
        #expect(PythonFlags.flag("allow_concurrent", .bool(true)) == ["--allow-concurrent"])
        #expect(PythonFlags.flag("tracing", .bool(false)) == [])
        #expect(PythonFlags.flag("uses_requests", .object(["/a": .string("f")])) == ["--uses-requests", #"{"/a":"f"}"#])
        #expect(PythonFlags.flag("exit_on_exceptions", .string("ValueError")) == ["--exit-on-exceptions", "ValueError"])
        #expect(PythonFlags.flag("traces_exporter_port", .int(4317)) == ["--traces-exporter-port", "4317"])
    }
}
