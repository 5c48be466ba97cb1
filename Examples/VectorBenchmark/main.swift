// `vector-benchmark`: exact search of JinaVectorIndex in process on N × D random, L2-normalised
// float32 vectors (issue #13's benchmark; benchmarks/vector/run.sh runs it next to faiss and
// numpy). Prints one `FIGURE` line per measurement. Not a test.
//   vector-benchmark [N=1000000] [D=128] [K=10] [QUERIES=200] [BATCH=100]
import Foundation
import JinaVectorIndex

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let count = arguments.count > 0 ? arguments[0] : 1_000_000
let dimension = arguments.count > 1 ? arguments[1] : 128
let k = arguments.count > 2 ? arguments[2] : 10
let queries = arguments.count > 3 ? arguments[3] : 200
let batch = arguments.count > 4 ? arguments[4] : 100

struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func vector(_ random: inout SplitMix) -> [Float] {
    let raw = (0..<dimension).map { _ in Float.random(in: -1...1, using: &random) }
    let norm = raw.reduce(0) { $0 + $1 * $1 }.squareRoot()
    return raw.map { $0 / norm }
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

var random = SplitMix(state: 42)
var index = ExactVectorIndex(dimension: dimension, metric: .dot)
let clock = ContinuousClock()
let indexing = clock.measure {
    for row in 0..<count { try! index.upsert(id: "d\(row)", vector: vector(&random)) }
}
print("NOTE kernel=\(ExactVectorIndex.kernel)")
print("FIGURE vector_index_build n=\(count) d=\(dimension) seconds=\(String(format: "%.2f", seconds(indexing)))")

let probes = (0..<queries).map { _ in vector(&random) }
_ = try! index.search(probes[0], topK: k)  // warm up
var latencies: [Double] = []
for probe in probes {
    let elapsed = clock.measure { _ = try! index.search(probe, topK: k) }
    latencies.append(seconds(elapsed) * 1000)
}
latencies.sort()
let median = latencies[latencies.count / 2]
let p99 = latencies[min(latencies.count - 1, Int(Double(latencies.count) * 0.99))]
print("FIGURE vector_exact_single n=\(count) d=\(dimension) k=\(k) median_ms=\(String(format: "%.2f", median)) p99_ms=\(String(format: "%.2f", p99))")

let block = Array(probes.prefix(batch))
_ = try! index.search(batch: block, topK: k)
var rates: [Double] = []
for _ in 0..<3 {
    let elapsed = clock.measure { _ = try! index.search(batch: block, topK: k) }
    rates.append(Double(block.count) / seconds(elapsed))
}
rates.sort()
print("FIGURE vector_exact_batched n=\(count) d=\(dimension) k=\(k) batch=\(block.count) queries_per_s=\(String(format: "%.0f", rates[1]))")
