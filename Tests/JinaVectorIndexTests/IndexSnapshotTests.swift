import Foundation
import JinaVectorIndex
import Testing

@Suite("index snapshots (mapped files)")
struct IndexSnapshotTests {
    func path(_ name: String) -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("jina-snap-\(getpid())-\(name)").path
        try? FileManager.default.removeItem(atPath: folder)
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder + "/snapshot.index"
    }

    func document(_ id: String) -> [UInt8] { Array("{\"id\":\"\(id)\"}".utf8) }

    @Test("an exact index opened from its snapshot answers as the index it was written from; changes after it stay apart", arguments: VectorMetric.allCases)
    func exactRoundTrip(metric: VectorMetric) throws {
        let file = path("exact-\(metric)")
        let vectors = clusteredVectors(1_003, dimension: 19, clusters: 15, seed: 7)
        var written = ExactVectorIndex(dimension: 19, metric: metric)
        for (row, vector) in vectors.enumerated() { try written.upsert(id: "v\(row)", vector: vector) }
        try written.writeSnapshot(to: file, document: document)
        let snapshot = try IndexSnapshot(path: file)
        #expect(snapshot.count == 1_003 && snapshot.dimension == 19 && snapshot.metric == metric)
        #expect(snapshot.row(of: "v17").map(snapshot.id) == "v17")
        #expect(snapshot.row(of: "nope") == nil)
        #expect(snapshot.row(of: "v17").map(snapshot.document) == document("v17"))
        var opened = try ExactVectorIndex(snapshot: snapshot)
        let queries = randomVectors(12, dimension: 19, seed: 8)
        #expect(try opened.search(batch: queries, topK: 7) == written.search(batch: queries, topK: 7))

        // The same changes on both: a snapshot row replaced, one removed, a new one, then a filter.
        for index in [0, 1] {
            var target = index == 0 ? written : opened
            try target.upsert(id: "v3", vector: vectors[900])
            let first = target.remove("v4"), second = target.remove("v4")
            #expect(first && !second)
            try target.upsert(id: "new", vector: vectors[5])
            if index == 0 { written = target } else { opened = target }
        }
        #expect(opened.count == written.count)
        #expect(Set(opened.allIDs) == Set(written.allIDs))
        #expect(!opened.contains("v4") && opened.contains("new") && opened.contains("v3"))
        #expect(opened.vector("v3") == written.vector("v3"))
        let odd: (String) -> Bool = { ($0.last?.wholeNumberValue ?? 0) % 2 == 1 }
        let expected = try written.search(batch: queries, topK: 9, include: odd)
        let found = try opened.search(batch: queries, topK: 9, include: odd)
        for (one, other) in zip(expected, found) {
            #expect(Set(one.map(\.id)) == Set(other.map(\.id)))
        }
        opened.removeAll()
        #expect(opened.count == 0 && !opened.contains("v5"))
    }

    @Test("an empty index makes an empty snapshot")
    func empty() throws {
        let file = path("empty")
        try ExactVectorIndex(dimension: 4, metric: .dot).writeSnapshot(to: file, document: document)
        let opened = try ExactVectorIndex(snapshot: IndexSnapshot(path: file))
        #expect(opened.count == 0)
        #expect(try opened.search([1, 2, 3, 4], topK: 3) == [])
    }

    @Test("a damaged snapshot is an error naming the file and the damage, never a crash")
    func damaged() throws {
        let file = path("damaged")
        var index = ExactVectorIndex(dimension: 8, metric: .l2)
        for (row, vector) in randomVectors(40, dimension: 8, seed: 3).enumerated() { try index.upsert(id: "r\(row)", vector: vector) }
        try index.writeSnapshot(to: file, document: document)
        let good = try Data(contentsOf: URL(fileURLWithPath: file))
        var damages: [(String, Data)] = [("short", good.prefix(100)), ("cut", good.prefix(good.count - 100))]
        for offset in [3, 13, 30, 60, 167] {  // magic, dimension, count, the section table, the header's checksum
            var copy = good
            copy[offset] ^= 0x5A
            damages.append(("byte \(offset)", copy))
        }
        for (what, bytes) in damages {
            try bytes.write(to: URL(fileURLWithPath: file))
            #expect(throws: VectorIndexError.self, "\(what)") { try IndexSnapshot(path: file) }
            do {
                _ = try IndexSnapshot(path: file)
            } catch {
                #expect(error.description.contains(file), "\(what): \(error)")
            }
        }
        // A flipped byte in the id table is found by the table checks.
        var tables = good
        let idTable = good[72..<80].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }  // section 2's offset
        tables[idTable + 8 * 5 + 7] ^= 0x40
        try tables.write(to: URL(fileURLWithPath: file))
        #expect(throws: VectorIndexError.self) { try IndexSnapshot(path: file) }
    }

    @Test("an HNSW index reopens with its saved graph, and builds it again when the graph is gone")
    func hnswRoundTrip() throws {
        let file = path("hnsw")
        let vectors = clusteredVectors(600, dimension: 16, clusters: 12, seed: 11)
        let graph = try HNSWVectorIndex(dimension: 16, metric: .cosine)
        for (row, vector) in vectors.enumerated() { try graph.upsert(id: "h\(row)", vector: vector) }
        graph.remove("h7")
        try graph.writeSnapshot(to: file, document: document)
        let queries = Array(vectors.prefix(10))
        let expected = try graph.search(batch: queries, topK: 5, include: nil)

        let snapshot = try IndexSnapshot(path: file)
        #expect(snapshot.graphToken != 0)
        let reopened = try HNSWVectorIndex(snapshot: snapshot)
        #expect(reopened.rebuildReason == nil)
        #expect(reopened.count == 599 && !reopened.contains("h7"))
        #expect(try reopened.search(batch: queries, topK: 5, include: nil) == expected)
        try reopened.upsert(id: "h7", vector: vectors[7])
        try reopened.upsert(id: "fresh", vector: vectors[8])
        #expect(reopened.contains("h7") && reopened.count == 601)

        // A second snapshot removes the first one's graph.
        try reopened.writeSnapshot(to: file, document: document)
        let folder = (file as NSString).deletingLastPathComponent
        let graphs = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".hnsw") }
        #expect(graphs.count == 1)
        try FileManager.default.removeItem(atPath: folder + "/" + graphs[0])
        let rebuilt = try HNSWVectorIndex(snapshot: IndexSnapshot(path: file))
        #expect(rebuilt.rebuildReason?.contains("cannot be read") == true)
        #expect(rebuilt.count == 601 && rebuilt.contains("fresh"))
        #expect(try rebuilt.search(batch: [vectors[8]], topK: 1, include: nil)[0].first?.id == "fresh" || rebuilt.vector("fresh") == rebuilt.vector("h8"))
    }
}
