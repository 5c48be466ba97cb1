// `vector-benchmark`: exact search of JinaVectorIndex in process on N × D random, L2-normalised
// float32 vectors (issue #13's benchmark; benchmarks/vector/run.sh runs it next to faiss and
// numpy). Prints one `FIGURE` line per measurement. Not a test.
//   vector-benchmark [N=1000000] [D=128] [K=10] [QUERIES=200] [BATCH=100]
//   vector-benchmark hnsw DIR D     HNSW on DIR/base.f32, DIR/queries.f32, DIR/truth.i32
//                                   (written by hnsw_reference.py): recall@10 and latency
import Foundation
import JinaVectorIndex

if CommandLine.arguments.count > 3, CommandLine.arguments[1] == "hnsw" {
    runHNSW(directory: CommandLine.arguments[2], dimension: Int(CommandLine.arguments[3])!)
    exit(0)
}

func floats(_ path: String) -> [Float] {
    let data = FileManager.default.contents(atPath: path)!
    return data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
}

func runHNSW(directory: String, dimension: Int) {
    let base = floats(directory + "/base.f32")
    let queries = floats(directory + "/queries.f32")
    let truth = FileManager.default.contents(atPath: directory + "/truth.i32")!.withUnsafeBytes { Array($0.bindMemory(to: Int32.self)) }
    let count = base.count / dimension
    let clock = ContinuousClock()
    let index = try! HNSWVectorIndex(dimension: dimension, metric: .dot, m: 16, efConstruction: 200)
    let build = clock.measure {
        for row in 0..<count { try! index.upsert(id: String(row), vector: Array(base[row * dimension..<(row + 1) * dimension])) }
    }
    for efSearch in [64, 128] {
        index.efSearch = efSearch
        if efSearch == 64 {
            print("FIGURE vector_hnsw_build n=\(count) d=\(dimension) m=16 ef_construction=200 seconds=\(String(format: "%.2f", Double(build.components.seconds) + Double(build.components.attoseconds) / 1e18))")
        }
        var latencies: [Double] = []
        var hits = 0
        let total = queries.count / dimension
        for query in 0..<total {
            let vector = Array(queries[query * dimension..<(query + 1) * dimension])
            var found: [Match] = []
            let elapsed = clock.measure { found = try! index.search(batch: [vector], topK: 10, include: nil)[0] }
            latencies.append((Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18) * 1000)
            let want = Set(truth[query * 10..<(query + 1) * 10].map { String($0) })
            hits += found.filter { want.contains($0.id) }.count
        }
        latencies.sort()
        print("FIGURE vector_hnsw_search n=\(count) ef_search=\(efSearch) recall_at_10=\(String(format: "%.4f", Double(hits) / Double(total * 10))) median_ms=\(String(format: "%.3f", latencies[latencies.count / 2])) p99_ms=\(String(format: "%.3f", latencies[Int(Double(latencies.count) * 0.99)]))")
    }
    // Start-up: the snapshot with its saved graph, opened again (the graph is read, not built).
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vector-benchmark-hnsw-\(getpid())").path
    try! FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let document = Array("{}".utf8)
    let writing = clock.measure { try! index.writeSnapshot(to: folder + "/snapshot.index") { _ in document } }
    var reopened: HNSWVectorIndex!
    let opening = clock.measure { reopened = try! HNSWVectorIndex(snapshot: IndexSnapshot(path: folder + "/snapshot.index")) }
    func seconds(_ duration: Duration) -> Double { Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18 }
    print("FIGURE vector_hnsw_snapshot n=\(count) write_s=\(String(format: "%.2f", seconds(writing))) open_s=\(String(format: "%.2f", seconds(opening))) rebuilt=\(reopened.rebuildReason != nil)")
}

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

/// Resident memory of this process in bytes (/proc/self/statm).
func residentBytes() -> Int {
    let fields = (try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8))?.split(separator: " ") ?? []
    return (fields.count > 1 ? Int(fields[1]) ?? 0 : 0) * Int(sysconf(Int32(_SC_PAGESIZE)))
}

/// Ids as Jina makes them: 32 hexadecimal characters.
func id(_ row: Int) -> String {
    let hex = String(UInt64(row) &* 0x9E37_79B9_7F4A_7C15, radix: 16)
    return String(repeating: "0", count: 32 - hex.count) + hex
}

var random = SplitMix(state: 42)
var index = ExactVectorIndex(dimension: dimension, metric: .dot)
let clock = ContinuousClock()
let residentBefore = residentBytes()
let indexing = clock.measure {
    for row in 0..<count { try! index.upsert(id: id(row), vector: vector(&random)) }
}
print("NOTE kernel=\(ExactVectorIndex.kernel)")
print("FIGURE vector_index_build n=\(count) d=\(dimension) seconds=\(String(format: "%.2f", seconds(indexing)))")
print("FIGURE vector_exact_memory n=\(count) d=\(dimension) bytes_per_vector=\((residentBytes() - residentBefore) / max(count, 1)) vector_bytes=\(dimension * 4)")

let probes = (0..<queries).map { _ in vector(&random) }

/// One `FIGURE` line: median and p99 of single-query searches of `probes` on `searched`.
func reportSingleQueries(_ name: String, on searched: ExactVectorIndex) {
    _ = try! searched.search(probes[0], topK: k)  // warm up
    var latencies: [Double] = []
    for probe in probes {
        let elapsed = clock.measure { _ = try! searched.search(probe, topK: k) }
        latencies.append(seconds(elapsed) * 1000)
    }
    latencies.sort()
    let median = latencies[latencies.count / 2]
    let p99 = latencies[min(latencies.count - 1, Int(Double(latencies.count) * 0.99))]
    print("FIGURE \(name) n=\(count) d=\(dimension) k=\(k) median_ms=\(String(format: "%.2f", median)) p99_ms=\(String(format: "%.2f", p99))")
}

reportSingleQueries("vector_exact_single", on: index)
index.searchThreads = 1
reportSingleQueries("vector_exact_single_1thread", on: index)
index.searchThreads = ExactVectorIndex(dimension: 1, metric: .dot).searchThreads
print("NOTE search_threads=\(index.searchThreads)")

let block = Array(probes.prefix(batch))
_ = try! index.search(batch: block, topK: k)
var rates: [Double] = []
for _ in 0..<3 {
    let elapsed = clock.measure { _ = try! index.search(batch: block, topK: k) }
    rates.append(Double(block.count) / seconds(elapsed))
}
rates.sort()
print("FIGURE vector_exact_batched n=\(count) d=\(dimension) k=\(k) batch=\(block.count) queries_per_s=\(String(format: "%.0f", rates[1]))")

// Start-up: write the index as a snapshot, open it (mapped), search the mapped vectors.
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vector-benchmark-\(getpid())").path
try! FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: folder) }
let snapshotPath = folder + "/snapshot.index"
let document = Array("{}".utf8)
let writing = clock.measure { try! index.writeSnapshot(to: snapshotPath) { _ in document } }
print("FIGURE vector_snapshot_write n=\(count) seconds=\(String(format: "%.2f", seconds(writing)))")
index = ExactVectorIndex(dimension: dimension, metric: .dot)
var opened: ExactVectorIndex!
let opening = clock.measure { opened = try! ExactVectorIndex(snapshot: IndexSnapshot(path: snapshotPath)) }
let firstSearch = clock.measure { _ = try! opened.search(probes[0], topK: k) }
print("FIGURE vector_snapshot_open n=\(count) open_ms=\(String(format: "%.1f", seconds(opening) * 1000)) first_search_ms=\(String(format: "%.1f", seconds(firstSearch) * 1000))")
reportSingleQueries("vector_exact_single_mapped", on: opened)
