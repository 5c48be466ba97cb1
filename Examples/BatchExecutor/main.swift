// The executor of the dynamic-batching benchmark (benchmarks/batching): `/work` models a device
// that runs one call at a time and costs a fixed amount per call plus a little per document
// (`FIXED_MS`, `PER_DOC_MS` in the environment; 20 and 0.5 by default), as Python Jina's
// executor does with one request at a time. Each document's text becomes the handler's time in
// milliseconds, so the benchmark can tell the time a request spent outside the handler.
import Foundation
import JinaRuntime

struct BatchExecutor: SimpleExecutor {
    let device = Device()
    let fixed = Double(ProcessInfo.processInfo.environment["FIXED_MS"] ?? "") ?? 20
    let perDocument = Double(ProcessInfo.processInfo.environment["PER_DOC_MS"] ?? "") ?? 0.5

    var endpoints: [Endpoint] {
        Endpoint("/work") { documents, _ in
            let cost = fixed + perDocument * Double(documents.count)
            let milliseconds = try await device.run(for: .microseconds(Int64(cost * 1000)))
            let count = documents.count
            for index in documents.indices { documents[index].text = "\(milliseconds);\(count)" }
        }
    }
}

/// One call at a time, first come first served; `run` returns the milliseconds the call had the
/// device (waiting for it is not counted, as Python Jina's handler time does not count the wait
/// for its executor's lock).
actor Device {
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func run(for cost: Duration) async throws -> Double {
        if busy {
            await withCheckedContinuation { waiting.append($0) }
        }
        busy = true
        let started = ContinuousClock.now
        defer {
            if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
        }
        try await Task.sleep(for: cost)
        let (seconds, attoseconds) = (ContinuousClock.now - started).components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}

await ExecutorMain.run(BatchExecutor.self)
