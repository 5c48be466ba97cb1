import Foundation
import JinaCore
import JinaGateway
import JinaRuntime
import JinaVectorIndex
import Logging

/// The state of one `VectorIndex`: vectors in an index (`ExactVectorIndex` or
/// `HNSWVectorIndex`), stored documents by id, and, with a workspace, their durable form:
/// `snapshot.index` (the whole index, written atomically, opened by mapping it into memory) and
/// `index.log` (every acknowledged change since, fsynced before the reply). Start-up opens the
/// snapshot, then replays the log; replaying the log again is harmless (each change is a put, a
/// delete or a clear), so a crash between writing a snapshot and emptying the log loses nothing.
actor VectorStore {
    /// Makes the index: opened from the snapshot when there is one, else empty.
    typealias IndexFactory = @Sendable (IndexSnapshot?) throws -> any VectorSearching

    let dimension: Int
    let metric: VectorMetric
    let fields: Set<String>?
    let logger: Logger
    private let makeIndex: IndexFactory
    private var index: any VectorSearching
    /// Documents stored since the snapshot, and snapshot documents already read.
    private var documents: [String: Document] = [:]
    /// The snapshot the index was opened from: a document not in `documents` is read from it.
    private var base: IndexSnapshot?
    /// Whether every live document of `base` is in `documents` (filters need them all).
    private var baseRead = false
    private let log: RecordLog?
    private let snapshotPath: String?
    /// A snapshot is taken when the log grows past this many bytes.
    static let logLimit = 64 << 20

    init(dimension: Int, metric: VectorMetric, fields: [String]?, workspace: String?, logger: Logger,
         makeIndex: IndexFactory? = nil) async throws {
        let makeIndex = makeIndex ?? { snapshot in
            try snapshot.map(ExactVectorIndex.init(snapshot:)) ?? ExactVectorIndex(dimension: dimension, metric: metric)
        }
        self.dimension = dimension
        self.metric = metric
        self.fields = fields.map(Set.init)
        self.logger = logger
        self.makeIndex = makeIndex
        guard let workspace else {
            index = try makeIndex(nil)
            log = nil
            snapshotPath = nil
            logger.warning("VectorIndex has no workspace: the index lives in memory only and is lost when the process ends; set `workspace` to keep it")
            return
        }
        let snapshotPath = workspace + "/snapshot.index"
        self.snapshotPath = snapshotPath
        if FileManager.default.fileExists(atPath: snapshotPath) {
            let snapshot: IndexSnapshot
            do {
                snapshot = try IndexSnapshot(path: snapshotPath)
            } catch {
                throw ExecutorError(.runtime, "VectorIndex: \(error)", hint: "restore the workspace from a backup, or remove the snapshot to start from the log alone")
            }
            guard snapshot.dimension == dimension, snapshot.metric == metric else {
                throw ExecutorError(.invalidInput, "VectorIndex: the workspace holds an index of dim \(snapshot.dimension), metric \(snapshot.metric.rawValue); uses_with says dim \(dimension), metric \(metric.rawValue)",
                                    hint: "use the same `dim` and `metric`, or another workspace")
            }
            base = snapshot
        }
        index = try makeIndex(base)
        if let reason = index.rebuildReason {
            logger.warning("VectorIndex: built the HNSW graph again from the snapshot's \(index.count) vectors: \(reason)")
        }
        let log = try RecordLog(path: workspace + "/index.log")
        self.log = log
        // A snapshot in the record format of earlier builds: replayed before the log.
        let legacy = workspace + "/snapshot.records"
        var legacyRecords: [[UInt8]] = []
        if base == nil, FileManager.default.fileExists(atPath: legacy) {
            legacyRecords = try RecordLog(path: legacy).recover().records
        }
        let recovery = try log.recover()
        for record in legacyRecords + recovery.records { try apply(record) }
        if recovery.droppedBytes > 0 {
            logger.warning("VectorIndex: cut \(recovery.droppedBytes) bytes at the end of \(log.path): \(recovery.reason ?? "a bad tail") (a write that was never acknowledged)")
        }
        if !legacyRecords.isEmpty {
            _ = try snapshot()
            try FileManager.default.removeItem(atPath: legacy)
        }
        logger.info("VectorIndex: \(self.index.count) documents loaded from \(workspace) (\(base?.count ?? 0) mapped from the snapshot, \(recovery.records.count) log records)")
    }

    var count: Int { index.count }

    /// Stores `incoming` (all or nothing): each needs an id and an embedding of `dimension`
    /// finite values. `onlyExisting` (update): ids this index does not hold are skipped.
    func put(_ incoming: [Document], onlyExisting: Bool) throws {
        var entries: [(id: String, vector: [Float], document: Document)] = []
        for (position, document) in incoming.enumerated() {
            guard let id = document.id, !id.isEmpty else {
                throw RequestError("document \(position) has no id; the index stores documents by id")
            }
            if onlyExisting, !index.contains(id) { continue }
            let vector = try Self.vector(of: document, id: id)
            try index.check(id: id, vector: vector)
            entries.append((id, vector, stored(document)))
        }
        guard !entries.isEmpty else { return }
        try persist(IndexChange.putRecord(entries.map { ($0.document, $0.vector) }))
        for entry in entries { try apply(id: entry.id, vector: entry.vector, document: entry.document) }
        try snapshotIfLarge()
    }

    func delete(_ ids: [String]) throws {
        let present = ids.filter(index.contains)
        guard !present.isEmpty else { return }
        try persist(IndexChange.deleteRecord(present))
        for id in present { remove(id) }
        try snapshotIfLarge()
    }

    func clear() throws {
        try persist(IndexChange.clearRecord)
        clearAll()
    }

    /// Each query document gets `matches`: the `topK` most similar stored documents (stored
    /// fields, `scores: {metric: value}`), best first; `filter` keeps the stored documents it
    /// matches.
    func search(_ queries: [Document], topK: Int, filter: WhenFilter?) throws -> [Document] {
        let vectors = try queries.enumerated().map { position, query in
            try Self.vector(of: query, id: query.id ?? "query \(position)")
        }
        if filter != nil { readBase() }
        let include: ((String) -> Bool)? = filter.map { filter in
            let documents = self.documents
            return { id in documents[id].map(filter.matches) ?? false }
        }
        let results = try index.search(batch: vectors, topK: max(0, topK), include: include)
        var answered = queries
        for (position, matches) in results.enumerated() {
            answered[position].matches = matches.map { match in
                var document = self.document(match.id) ?? Document(fields: ["id": .text(match.id, type: DocValue.idType)])
                document.scores = [metric.rawValue: .float(Double(match.score))]
                return document
            }
        }
        return answered
    }

    /// Writes the whole index as a snapshot and empties the log.
    func snapshot() throws -> JSONValue {
        guard let log, let snapshotPath else {
            return .object(["documents": .integer(index.count), "persistent": false])
        }
        let count = index.count
        do {
            try index.writeSnapshot(to: snapshotPath) { id in
                // Documents unchanged since the last snapshot are copied as they are, not parsed again.
                if let document = documents[id] { return document.json().serializedBytes() }
                if let base, let row = base.row(of: id) { return base.document(row) }
                return Document(fields: ["id": .text(id, type: DocValue.idType)]).json().serializedBytes()
            }
            let written = try IndexSnapshot(path: snapshotPath)
            // The exact index scans the new snapshot in place and lets its copy in memory go.
            if index is ExactVectorIndex { index = try makeIndex(written) }
            base = written
            documents = [:]
            baseRead = false
            try log.truncate()
        } catch {
            throw RequestError("VectorIndex: cannot write a snapshot: \(error)")
        }
        logger.info("VectorIndex: snapshot of \(count) documents written to \(snapshotPath)")
        return .object(["documents": .integer(count), "persistent": true])
    }

    // MARK: - internals

    private func persist(_ record: [UInt8]) throws {
        guard let log else { return }
        do {
            try log.append(record)
        } catch {
            throw RequestError("VectorIndex: the change was not stored: \(error)")
        }
    }

    private func snapshotIfLarge() throws {
        if let log, log.size > Self.logLimit { _ = try snapshot() }
    }

    private func apply(_ record: [UInt8]) throws {
        let change: IndexChange
        do {
            change = try IndexChange(record: record, dimension: dimension)
        } catch {
            throw ExecutorError(.runtime, "VectorIndex: \(error.description)")
        }
        switch change {
        case .put(let entries):
            for entry in entries { try apply(id: entry.id, vector: entry.vector, document: entry.document) }
        case .delete(let ids):
            for id in ids { remove(id) }
        case .clear:
            clearAll()
        }
    }

    private func apply(id: String, vector: [Float], document: Document) throws {
        try index.upsert(id: id, vector: vector)
        documents[id] = document
    }

    private func clearAll() {
        index.removeAll()
        documents = [:]
        base = nil
    }

    /// The stored document of `id` (a live id): changed since the snapshot, or read from it.
    private func document(_ id: String) -> Document? {
        if let document = documents[id] { return document }
        guard let base, let row = base.row(of: id) else { return nil }
        return try? Document(json: JSONValue(parsing: base.document(row)))
    }

    /// Reads every live snapshot document into `documents`, once (a filter looks at them all).
    private func readBase() {
        guard let base, !baseRead else { return }
        for row in 0..<base.count {
            let id = base.id(row)
            if documents[id] == nil, index.contains(id), let document = try? Document(json: JSONValue(parsing: base.document(row))) {
                documents[id] = document
            }
        }
        baseRead = true
    }

    private func remove(_ id: String) {
        index.remove(id)
        documents[id] = nil
    }

    /// What is kept of a document: every field but the embedding, or `fields` (plus the id).
    private func stored(_ document: Document) -> Document {
        var kept = document.fields
        kept["embedding"] = nil
        kept["matches"] = nil
        kept["scores"] = nil
        if let fields { kept = kept.filter { $0.key == "id" || fields.contains($0.key) } }
        return Document(fields: kept)
    }

    /// The embedding of `document` as float32 (float64 and integers are converted).
    static func vector(of document: Document, id: String) throws -> [Float] {
        guard let embedding = document.embedding else {
            throw RequestError("document \(id) has no embedding")
        }
        if let floats = embedding.floats() { return floats }
        if let doubles = embedding.doubles() { return doubles.map(Float.init) }
        if let ints = embedding.ints() { return ints.map(Float.init) }
        throw RequestError("document \(id): its embedding has dtype \(embedding.dtype); use float32 or float64")
    }
}
