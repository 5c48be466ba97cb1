import Foundation
import JinaCore
@testable import JinaExecutors
@testable import JinaRuntime
import JinaVectorIndex
import Logging
import Testing

@Suite("the VectorIndex executor")
struct VectorIndexExecutorTests {
    static func workspace(_ name: String) -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("jina-vi-\(getpid())-\(name)").path
        try? FileManager.default.removeItem(atPath: folder)
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    func store(_ workspace: String?, dimension: Int = 3, metric: VectorMetric = .l2, fields: [String]? = nil) async throws -> VectorStore {
        try await VectorStore(dimension: dimension, metric: metric, fields: fields, workspace: workspace,
                              logger: Logger(label: "test"))
    }

    func document(_ id: String, _ vector: [Float], tags: [String: DocValue] = [:], text: String? = nil) -> Document {
        var document = Document(fields: ["id": .text(id, type: DocValue.idType)])
        document.embedding = NDArray(floats: vector)
        if !tags.isEmpty { document.tags = tags }
        document.text = text
        return document
    }

    func query(_ vector: [Float]) -> Document { document("q", vector) }

    @Test("search returns stored fields and one score per match; update replaces, delete removes")
    func crud() async throws {
        let index = try await store(nil)
        try await index.put([document("a", [0, 0, 0], text: "A"), document("b", [1, 0, 0]), document("c", [5, 0, 0])], onlyExisting: false)
        var answered = try await index.search([query([0.9, 0, 0])], topK: 2, filter: nil)
        #expect(answered[0].matches?.map(\.id) == ["b", "a"])
        #expect(answered[0].matches?[1].text == "A")
        #expect(answered[0].matches?[1].embedding == nil)
        let score = answered[0].matches?[0].scores?["l2"]?.doubleValue ?? 0
        #expect(abs(score - (-0.1)) < 1e-6)
        // /update replaces what exists and adds nothing.
        try await index.put([document("a", [4.9, 0, 0]), document("new", [1, 1, 1])], onlyExisting: true)
        #expect(await index.count == 3)
        answered = try await index.search([query([5, 0, 0])], topK: 2, filter: nil)
        #expect(answered[0].matches?.map(\.id) == ["c", "a"])
        try await index.delete(["c", "missing"])
        #expect(await index.count == 2)
    }

    @Test("a bad document rejects the whole request and stores nothing")
    func allOrNothing() async throws {
        let index = try await store(nil)
        let error = await #expect(throws: (any Error).self) {
            try await index.put([document("ok", [1, 2, 3]), document("short", [1, 2])], onlyExisting: false)
        }
        #expect("\(error!)" == "document short: the embedding has 2 values, the index stores 3 (`dim`)")
        var missing = Document(fields: ["id": .text("none", type: DocValue.idType)])
        missing.text = "no embedding"
        await #expect(throws: RequestError.self) { try await index.put([missing], onlyExisting: false) }
        #expect(await index.count == 0)
    }

    @Test("a filter in the when language selects stored documents by tags")
    func filter() async throws {
        let index = try await store(nil)
        try await index.put([
            document("red1", [1, 0, 0], tags: ["color": .text("red")]),
            document("blue", [1, 0, 0], tags: ["color": .text("blue")]),
            document("red2", [2, 0, 0], tags: ["color": .text("red")]),
        ], onlyExisting: false)
        let filter = try VectorIndex.filter(.object(["tags__color": .object(["$eq": .string("red")])]))
        let answered = try await index.search([query([1, 0, 0])], topK: 5, filter: filter)
        #expect(answered[0].matches?.map(\.id) == ["red1", "red2"])
    }

    @Test("everything acknowledged comes back after a restart: the log, then a snapshot plus the log")
    func durability() async throws {
        let folder = Self.workspace("durable")
        do {
            let index = try await store(folder)
            try await index.put([document("a", [1, 0, 0]), document("b", [0, 1, 0])], onlyExisting: false)
            try await index.delete(["a"])
            _ = try await index.snapshot()
            try await index.put([document("c", [0, 0, 1])], onlyExisting: false)
        }
        let reopened = try await store(folder)
        #expect(await reopened.count == 2)
        let answered = try await reopened.search([query([0, 0, 1])], topK: 3, filter: nil)
        #expect(answered[0].matches?.map(\.id) == ["c", "b"])
        // A torn last record (a write never acknowledged) is cut; the rest stays.
        let log = folder + "/index.log"
        let handle = try #require(FileHandle(forWritingAtPath: log))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data([200, 0, 0, 0, 1, 2]))
        try handle.close()
        let again = try await store(folder)
        #expect(await again.count == 2)
    }

    @Test("a snapshot reopens mapped: stored fields, filters, changes after it, clear, and a wrong dim refused")
    func snapshotReopens() async throws {
        let folder = Self.workspace("mapped")
        do {
            let index = try await store(folder)
            try await index.put([document("a", [1, 0, 0], tags: ["colour": .text("red")], text: "A"),
                                 document("b", [0, 1, 0], tags: ["colour": .text("blue")]),
                                 document("c", [0, 0, 1], tags: ["colour": .text("red")])], onlyExisting: false)
            #expect(try await index.snapshot() == .object(["documents": .integer(3), "persistent": true]))
            try await index.put([document("a", [1, 0.1, 0], tags: ["colour": .text("blue")], text: "A2")], onlyExisting: true)
            try await index.delete(["c"])
        }
        let reopened = try await store(folder)
        #expect(await reopened.count == 2)
        var answered = try await reopened.search([query([1, 0, 0])], topK: 3, filter: nil)
        #expect(answered[0].matches?.map(\.id) == ["a", "b"])
        #expect(answered[0].matches?[0].text == "A2")
        let blue = try VectorIndex.filter(.object(["tags__colour": .object(["$eq": .string("blue")])]))
        answered = try await reopened.search([query([0, 1, 0])], topK: 3, filter: blue)
        #expect(answered[0].matches?.map(\.id) == ["b", "a"])
        _ = try await reopened.snapshot()
        let third = try await store(folder)
        answered = try await third.search([query([0, 1, 0])], topK: 3, filter: nil)
        #expect(answered[0].matches?.map(\.id) == ["b", "a"])
        #expect(answered[0].matches?[0].tags == ["colour": .text("blue")])
        try await third.clear()
        #expect(await third.count == 0)
        #expect(try await store(folder).count == 0)
        await #expect(throws: ExecutorError.self) { try await store(folder, dimension: 4) }
    }

    @Test("only the configured fields are kept")
    func fields() async throws {
        let index = try await store(nil, fields: ["text"])
        try await index.put([document("a", [1, 0, 0], tags: ["k": .text("v")], text: "kept")], onlyExisting: false)
        let answered = try await index.search([query([1, 0, 0])], topK: 1, filter: nil)
        let match = try #require(answered[0].matches?.first)
        #expect(match.text == "kept")
        #expect(match.tags == nil)
    }
}

@Suite("VectorIndex configuration")
struct VectorIndexConfigurationTests {
    func load(_ usesWith: JSONValue) async throws -> LoadedExecutor {
        try await BuiltinExecutors.factory(named: "VectorIndex").load(
            usesWith: usesWith, context: ExecutorContext(name: "idx", logger: Logger(label: "test")))
    }

    @Test func fieldsMayBeOneNameOrAList() async throws {
        _ = try await load(["dim": 4, "fields": "text"])
        _ = try await load(["dim": 4, "fields": ["text", "tags"], "index": "hnsw", "m": 8])
    }

    @Test func badSettingsAreInvalidInputNamingTheKey() async {
        for (usesWith, expected) in [
            (JSONValue.object([:]), "VectorIndex needs `dim`"),
            (["dim": 4, "metric": "manhattan"], "unknown metric `manhattan`"),
            (["dim": 4, "index": "ivf"], "unknown index `ivf`"),
            (["dim": 4, "index": "hnsw", "ef_search": 0], "`ef_search` must be positive"),
        ] as [(JSONValue, String)] {
            let error = await #expect(throws: ExecutorError.self) { _ = try await load(usesWith) }
            #expect(error?.message.contains(expected) == true, "\(usesWith): \(error?.message ?? "no error")")
        }
    }
}
