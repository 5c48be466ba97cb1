import Foundation
import JinaModels
import Testing

@Suite("ONNX Runtime through dlopen")
struct ONNXRuntimeTests {
    @Test("a missing library is one line naming the path and the install script")
    func missing() {
        #expect(throws: ONNXError.libraryMissing(path: "/nowhere/libonnxruntime.so.1.32.0")) {
            try ONNXRuntime.load(path: "/nowhere/libonnxruntime.so.1.32.0")
        }
        let text = ONNXError.libraryMissing(path: "/x").description
        #expect(text.contains("/x") && text.contains("scripts/install-models.sh") && !text.contains("\n"))
    }

    @Test("a library that is not ONNX Runtime is refused")
    func notONNXRuntime() throws {
        let other = ["/lib/x86_64-linux-gnu/libz.so.1", "/usr/lib/x86_64-linux-gnu/libz.so.1"].first {
            FileManager.default.fileExists(atPath: $0)
        }
        let path = try #require(other)
        #expect {
            try ONNXRuntime.load(path: path)
        } throws: { error in
            (error as? ONNXError).map { "\($0)".contains("has no OrtGetApiBase") } ?? false
        }
    }

    /// Calls every declared entry point: environment, session options, session, its inputs and
    /// outputs, tensors in and out, errors.
    @Test("every declared entry point, on the installed MiniLM model")
    func entryPoints() throws {
        let runtime = try ONNXRuntime.load(path: ModelFiles.require(ModelFiles.runtime))
        #expect(runtime.version == ONNXRuntime.pinnedVersion)
        #expect(try ONNXRuntime.load(path: ModelFiles.runtime) === runtime)
        let session = try ONNXSession(runtime: runtime, modelPath: ModelFiles.require(ModelFiles.miniLM), intraOpThreads: 1)
        #expect(Set(session.inputs.map(\.name)) == ["input_ids", "attention_mask", "token_type_ids"])
        #expect(session.inputs.allSatisfy { $0.isInt64 && $0.shape.count == 2 })
        let output = try #require(session.outputs.first)
        #expect(output.isFloat && output.shape.count == 3 && output.shape.last == 384)
        let ids = Tensor(shape: [2, 4], int64s: [101, 7592, 2088, 102, 101, 2088, 102, 0])
        let mask = Tensor(shape: [2, 4], int64s: [1, 1, 1, 1, 1, 1, 1, 0])
        let types = Tensor(shape: [2, 4], int64s: [Int64](repeating: 0, count: 8))
        let result = try session.run(["input_ids": ids, "attention_mask": mask, "token_type_ids": types], outputs: [output.name])
        let hidden = try #require(result[output.name])
        #expect(hidden.shape == [2, 4, 384])
        let finite = hidden.floats.allSatisfy(\.isFinite)
        #expect(finite)
        // ONNX Runtime's own errors come back as one line with its message.
        let wrong = Tensor(shape: [1, 3], int64s: [101, 102, 0])
        #expect {
            _ = try session.run(["input_ids": ids, "attention_mask": wrong, "token_type_ids": types], outputs: [output.name])
        } throws: { error in
            guard case .runtime(let what, let code, let message)? = error as? ONNXError else { return false }
            return what.hasPrefix("run ") && code != 0 && !message.isEmpty
        }
        #expect(throws: ONNXError.self) { try session.run(["input_ids": ids], outputs: [output.name]) }
        #expect(throws: ONNXError.self) { try session.run(["input_ids": ids, "attention_mask": mask, "token_type_ids": types], outputs: ["nope"]) }
        #expect(throws: ONNXError.modelMissing(path: "/nowhere.onnx")) {
            try ONNXSession(runtime: runtime, modelPath: "/nowhere.onnx")
        }
        let notAModel = FileManager.default.temporaryDirectory.appendingPathComponent("jina-not-a-model-\(getpid()).onnx").path
        FileManager.default.createFile(atPath: notAModel, contents: Data("not onnx".utf8))
        defer { try? FileManager.default.removeItem(atPath: notAModel) }
        #expect {
            try ONNXSession(runtime: runtime, modelPath: notAModel)
        } throws: { error in
            guard case .runtime(let what, _, _)? = error as? ONNXError else { return false }
            return what.contains(notAModel)
        }
    }

    @Test("pooling: none, cls, and mean over the kept positions")
    func pooling() throws {
        let output = Tensor(shape: [2, 3, 2], floats: [1, 2, 3, 4, 5, 6, 10, 20, 30, 40, 50, 60])
        #expect(try Pooling.cls.pool(output) == [[1, 2], [10, 20]])
        #expect(try Pooling.mean.pool(output) == [[3, 4], [30, 40]])
        #expect(try Pooling.mean.pool(output, mask: [1, 1, 0, 1, 0, 0]) == [[2, 3], [10, 20]])
        #expect(try Pooling.none.pool(Tensor(shape: [2, 2], floats: [1, 2, 3, 4])) == [[1, 2], [3, 4]])
        #expect(throws: ONNXError.self) { try Pooling.mean.pool(Tensor(shape: [2, 2], floats: [1, 2, 3, 4])) }
        #expect(l2Normalised([3, 4]) == [0.6, 0.8])
    }
}
