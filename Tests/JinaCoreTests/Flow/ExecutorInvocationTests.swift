import JinaCore
import Testing

/// One command line for our executors: what `jina flow`/`jina export` write is what the SDK and
/// `jina executor` read (issue #11 item 4).
@Suite("executor command line")
struct ExecutorInvocationTests {
    @Test("every field written is read back the same")
    func roundTrip() throws {
        var invocation = ExecutorInvocation(uses: "TextAppend")
        invocation.usesWith = #"{"text":"!"}"#
        invocation.dynamicBatching = #"{"/a":{"timeout":5}}"#
        invocation.exitOnExceptions = ["ModelError", "Timeout"]
        invocation.name = "append"
        invocation.replicaID = 1
        invocation.shardID = 2
        invocation.workspace = "/w"
        invocation.listen = .tcp(host: "127.0.0.1", port: 0)
        invocation.monitoring = true
        invocation.portMonitoring = 9090
        invocation.trace(TracingSettings(host: "collector", port: 4317, samplingRatio: 0.5))
        invocation.exportMetrics(MetricsExportSettings(host: "https://m", port: 4318))
        invocation.logFormat = "json"
        invocation.logLevel = "debug"
        invocation.quiet = true
        #expect(try ExecutorInvocation.parse(invocation.arguments, acceptsUses: true) == invocation)
        var socket = invocation.configuration
        socket.listen = .socket("/run/a.sock")
        #expect(try ExecutorInvocation.parse(socket.arguments, acceptsUses: true) == socket)
        // Configuration first: `--name` starts the per-process part (a reload replaces what is before it).
        #expect(invocation.arguments.prefix(8) == ["--uses", "TextAppend", "--uses-with", #"{"text":"!"}"#,
                                                   "--uses-dynamic-batching", #"{"/a":{"timeout":5}}"#,
                                                   "--exit-on-exceptions", "ModelError,Timeout"])
    }

    @Test("--flag=value, help, and the refusals", arguments: [
        (["--name=a", "--port=5"], "ok"),
        (["--help"], "help"),
        (["--uses", "TextAppend", "--port", "0"], "unknown flag --uses"),
        (["--nam", "a"], "did you mean `--name`?"),
        (["--port", "x"], "--port expects an integer"),
        (["--socket", "/s", "--port", "1"], "either --socket or --port"),
        (["--socket", "/s", "--host", "h"], "--host goes with --port"),
        (["--name", "a", "--name", "b"], "given twice"),
        (["--monitoring=yes"], "takes no value"),
        (["--name"], "needs a value"),
    ])
    func parsing(arguments: [String], expected: String) {
        do {
            let invocation = try ExecutorInvocation.parse(arguments)
            #expect(expected == (invocation == nil ? "help" : "ok"))
            if let invocation, expected == "ok" { #expect(invocation.name == "a" && invocation.listen == .tcp(host: nil, port: 5)) }
        } catch {
            #expect(error.kind == .invalidInput)
            #expect((error.summary + " " + (error.hint ?? "")).contains(expected))
        }
    }
}
