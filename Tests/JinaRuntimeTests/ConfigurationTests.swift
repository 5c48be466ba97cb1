import Foundation
import JinaCore
import JinaExecutors
import JinaModels
@testable import JinaRuntime
import Testing

@Suite("uses_with, flags and the built-in registry")
struct ConfigurationTests {
    struct Settings: Decodable, Equatable {
        var text: String?
        var count: Int?
        var ratio: Double?
        var nested: Nested?
        var anything: JSONValue?

        struct Nested: Decodable, Equatable {
            var flag: Bool
        }
    }

    @Test("uses_with decodes into the executor's configuration")
    func decodes() throws {
        let settings = try ConfigurationDecoder.decode(
            Settings.self,
            from: ["text": "!", "count": 3.0, "ratio": 2, "nested": ["flag": true], "anything": ["x": [1, nil]]],
            executor: "X")
        #expect(settings == Settings(text: "!", count: 3, ratio: 2, nested: .init(flag: true), anything: ["x": [1, nil]]))
        #expect(try ConfigurationDecoder.decode(Settings.self, from: nil, executor: "X") == Settings())
        #expect(try ConfigurationDecoder.decode(Settings.self, from: .null, executor: "X") == Settings())
    }

    @Test("an unknown key is named, with a did-you-mean")
    func unknownKey() {
        #expect(throws: ExecutorError(
            .invalidInput, "unknown key uses_with.txt for executor X",
            hint: "did you mean `text`? known keys: anything, count, nested, ratio, text")
        ) {
            try ConfigurationDecoder.decode(Settings.self, from: ["txt": "!"], executor: "X")
        }
        #expect(throws: ExecutorError(
            .invalidInput, "unknown key uses_with.nested.flg for executor X",
            hint: "did you mean `flag`? known keys: flag")
        ) {
            try ConfigurationDecoder.decode(Settings.self, from: ["nested": ["flag": true, "flg": 1]], executor: "X")
        }
        #expect(throws: ExecutorError(.invalidInput, "unknown key uses_with.a for executor Identity", hint: "Identity takes no uses_with keys")) {
            try ConfigurationDecoder.decode(NoConfiguration.self, from: ["a": 1], executor: "Identity")
        }
    }

    @Test("wrong types and missing keys are named")
    func wrongTypes() {
        #expect(throws: ExecutorError(.invalidInput, "uses_with.text of executor X: expected a string, got a number")) {
            try ConfigurationDecoder.decode(Settings.self, from: ["text": 1], executor: "X")
        }
        #expect(throws: ExecutorError(.invalidInput, "uses_with.count of executor X: expected a whole number, got a number")) {
            try ConfigurationDecoder.decode(Settings.self, from: ["count": 1.5], executor: "X")
        }
        #expect(throws: ExecutorError(
            .invalidInput, "uses_with.nested.flag is required by executor X",
            hint: "pass it in uses_with, e.g. --uses-with '{\"flag\": …}'")
        ) {
            try ConfigurationDecoder.decode(Settings.self, from: ["nested": [:]], executor: "X")
        }
        #expect(throws: ExecutorError(.invalidInput, "uses_with of executor X: expected an object, got a list")) {
            try ConfigurationDecoder.decode(Settings.self, from: [1], executor: "X")
        }
    }

    @Test("flags parse as jina executor's do")
    func flags() throws {
        let options = try #require(try ExecutorFlags.parse([
            "--uses-with", #"{"text": "!"}"#, "--name=up", "--replica-id", "1", "--shard-id", "2",
            "--workspace", "/tmp/ws", "--port", "0", "--host", "127.0.0.1",
        ]))
        #expect(options == ExecutorOptions(
            usesWith: ["text": "!"], name: "up", replicaID: 1, shardID: 2, workspace: "/tmp/ws",
            address: .tcp(host: "127.0.0.1", port: 0)))
        #expect(try ExecutorFlags.parse(["--socket", "/tmp/x.sock"])?.address == .unix(path: "/tmp/x.sock"))
        #expect(try ExecutorFlags.parse(["--port", "5"])?.address == .tcp(host: "0.0.0.0", port: 5))
        #expect(try ExecutorFlags.parse(["--help"]) == nil)
        let traced = try #require(try ExecutorFlags.parse([
            "--port", "0", "--tracing", "--traces-exporter-host", "https://otel", "--traces-exporter-port", "4318",
            "--traces-sampling-ratio", "0.5",
        ]))
        #expect(traced.tracing == TracingSettings(host: "https://otel", port: 4318, samplingRatio: 0.5))
        // Exporter flags alone do not switch tracing on (as in Jina).
        #expect(try ExecutorFlags.parse(["--port", "0", "--traces-exporter-port", "4318"])?.tracing == nil)
    }

    @Test("bad flags are invalid input with a clear message", arguments: [
        (["--port", "1", "--socket", "/x"], "give either --socket or --port, not both"),
        ([], "say where to listen: --socket PATH or --port P [--host H]"),
        (["--socket", "/x", "--host", "h"], "--host goes with --port, not with --socket"),
        (["--port", "70000"], "--port 70000 is out of range 0-65535"),
        (["--port", "x"], "--port expects an integer, got \"x\""),
        (["--port"], "--port needs a value"),
        (["--prot", "1"], "unknown flag --prot"),
        (["--port", "1", "--uses-with", "[1]"], "--uses-with must be a JSON object, e.g. '{\"text\": \"!\"}'"),
        (["--port", "1", "--tracing", "--traces-sampling-ratio", "2"], "--traces-sampling-ratio 2.0 is outside 0-1"),
        (["--port", "1", "--tracing", "--traces-sampling-ratio", "x"], "--traces-sampling-ratio expects a number from 0 to 1, got \"x\""),
        (["--port", "1", "--tracing", "--traces-exporter-port", "0"], "--traces-exporter-port 0 is out of range 1-65535"),
    ])
    func badFlags(arguments: [String], message: String) {
        let error = #expect(throws: ExecutorError.self) { try ExecutorFlags.parse(arguments) }
        #expect(error?.message == message)
        #expect(error?.kind == .invalidInput)
    }

    @Test("the workspace is WORKSPACE/NAME[/SHARD] and is created")
    func workspace() throws {
        let root = try temporaryDirectory()
        let options = ExecutorOptions(name: "idx", shardID: 1, workspace: root, address: .tcp(host: "h", port: 0))
        let context = try options.makeContext()
        #expect(context.workspace == root + "/idx/1")
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: root + "/idx/1", isDirectory: &isDirectory) && isDirectory.boolValue)
        try? FileManager.default.removeItem(atPath: root)
    }

    @Test("every catalogue entry has an implementation, and every implementation an entry")
    func catalogueMatchesImplementations() throws {
        #expect(Set(BuiltinExecutorCatalog.all.map(\.name)) == Set(BuiltinExecutors.implementations.keys))
        for name in BuiltinExecutorCatalog.allNames {
            _ = try BuiltinExecutors.factory(named: name)
        }
        #expect(try BuiltinExecutors.factory(named: "BaseExecutor").typeName == "Identity")
    }

    /// Files and tensor names the model executors need to start (scripts/install-models.sh).
    static func modelSetting(executor: String, parameter: String) -> JSONValue? {
        let models = ONNXRuntime.modelsFolder
        return switch (executor, parameter) {
        case ("OnnxEncoder", "model"), ("ImageEncoder", "model"): .string(models + "/resnet50/model.onnx")
        case ("OnnxEncoder", "input"), ("ImageEncoder", "input"): "input:0"
        case ("OnnxEncoder", "output"), ("ImageEncoder", "output"): "Reshape:0"
        case ("ImageEncoder", "allowed_paths"): ["/tmp"]
        case ("ImageEncoder", "mean"): [104, 117, 123]
        case ("ImageEncoder", "std"): [1, 1, 1]
        case ("TextEncoder", "output"): "last_hidden_state"
        case (_, "model"): .string(models + "/minilm/model.onnx")
        case (_, "vocabulary"): .string(models + "/minilm/vocab.txt")
        case (_, "runtime"): .string(ONNXRuntime.libraryPath(configured: nil))
        default: nil
        }
    }

    @Test("each built-in accepts exactly the parameters its catalogue entry lists")
    func catalogueParameters() async throws {
        for entry in BuiltinExecutorCatalog.all {
            let factory = try BuiltinExecutors.factory(named: entry.name)
            var usesWith: [String: JSONValue] = [:]
            for parameter in entry.parameters {
                // Its default where it has one (values a built-in checks, such as a metric name),
                // else a value of its type; the model executors get the installed files.
                if let value = Self.modelSetting(executor: entry.name, parameter: parameter.name) {
                    usesWith[parameter.name] = value
                    continue
                }
                usesWith[parameter.name] = switch (parameter.type, parameter.defaultValue) {
                case (.string, .string(let value)): .string(value)
                case (.int, .int(let value)): .integer(value)
                case (.bool, .bool(let value)): .bool(value)
                case (.string, _): "s"
                case (.int, _): 1
                case (.bool, _): true
                case (.stringList, _): ["s"]
                case (.path, _): "s"
                case (.paths, _): ["s"]
                case (.size, .int(let value)), (.number, .int(let value)): .integer(value)
                case (.size, _): [1, 1]
                case (.number, _): 1
                case (.numbers, _): [1, 1, 1]
                }
            }
            _ = try await factory.load(usesWith: .object(usesWith), context: ExecutorContext(name: "t", logger: quietLogger()))
            usesWith["not_a_parameter"] = 1
            let error = await #expect(throws: ExecutorError.self) {
                try await factory.load(usesWith: .object(usesWith), context: ExecutorContext(name: "t", logger: quietLogger()))
            }
            #expect(error?.message == "unknown key uses_with.not_a_parameter for executor \(factory.typeName)")
        }
    }

    @Test("an unknown built-in is invalid input with a did-you-mean")
    func unknownBuiltin() {
        let error = #expect(throws: ExecutorError.self) { try BuiltinExecutors.factory(named: "TextApend") }
        #expect(error?.message == "unknown executor TextApend")
        #expect(error?.hint?.hasPrefix("did you mean `TextAppend`?") == true)
    }

    @Test("TextAppend appends to every text, a missing one counting as empty")
    func textAppend() async throws {
        let loaded = try await ExecutorFactory(TextAppend.self).load(
            usesWith: ["text": "!"], context: ExecutorContext(name: "t", logger: quietLogger()))
        var documents = [Document(id: "a", text: "x"), Document(id: "b"), Document(fields: ["text": .null])]
        try await loaded.endpoints.handler(for: "/anything")?(&documents, [:])
        #expect(documents.map(\.text) == ["x!", "!", "!"])
    }

    @Test("an endpoint bound twice is refused")
    func duplicateEndpoint() {
        #expect(throws: ExecutorError.self) {
            try EndpointTable([Endpoint("/a") { _, _ in }, Endpoint("/a") { _, _ in }], executor: "X")
        }
        #expect(throws: ExecutorError.self) {
            try EndpointTable([Endpoint { _, _ in }, Endpoint("/default") { _, _ in }], executor: "X")
        }
    }
}
