import Foundation
import JinaCore
import JinaModels
import JinaRuntime

/// What the model executors share: loading ONNX Runtime and a model at start-up (so a missing
/// library or model stops the executor with one line, before any request), and the errors a
/// request can meet.
enum ModelSettings {
    /// Loads the runtime (`runtime`, else `JINA_ONNXRUNTIME`, else the installed one) and
    /// `model`; any failure is an executor start-up error naming the path and the fix.
    static func session(executor: String, model: String, runtime: String?, intraOpThreads: Int?) throws -> ONNXSession {
        if let intraOpThreads, intraOpThreads < 1 {
            throw ExecutorError(.invalidInput, "\(executor): `intra_op_threads` must be positive, got \(intraOpThreads)")
        }
        do {
            let loaded = try ONNXRuntime.load(path: ONNXRuntime.libraryPath(configured: runtime))
            return try ONNXSession(runtime: loaded, modelPath: model, intraOpThreads: intraOpThreads)
        } catch {
            throw ExecutorError(.runtime, "\(executor): \(error)")
        }
    }

    static func pooling(_ name: String?, default fallback: Pooling, executor: String) throws -> Pooling {
        guard let name else { return fallback }
        guard let pooling = Pooling(rawValue: name) else {
            throw ExecutorError(.invalidInput, "\(executor): unknown pooling `\(name)`",
                                hint: "pooling: " + Pooling.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return pooling
    }

    static func batchSize(_ value: Int?, executor: String) throws -> Int {
        let size = value ?? 32
        guard size > 0 else { throw ExecutorError(.invalidInput, "\(executor): `batch_size` must be positive, got \(size)") }
        return size
    }

    /// Runs `body` on a thread of its own and waits for it without holding a thread of the
    /// concurrency pool: a model run takes milliseconds to seconds of CPU, and the pool has only
    /// as many threads as CPUs, which the executor's other work (replies, health checks) needs.
    static func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }

    /// A bundled model file under the installed models folder.
    static func installed(_ relative: String) -> String {
        ONNXRuntime.modelsFolder + "/" + relative
    }
}
