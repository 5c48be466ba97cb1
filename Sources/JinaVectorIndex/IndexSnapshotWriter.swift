/// Writes an `IndexSnapshot` file: `count` rows appended in order, then `finish()` puts the file
/// in place atomically. Vectors go to disk a tile at a time; the id and document tables are
/// kept in memory until the end.
public struct IndexSnapshotWriter {
    public let path: String
    let dimension: Int
    let metric: VectorMetric
    let count: Int
    let graphToken: UInt64
    private let file: AtomicFile
    private var tile: [Float]
    private var appended = 0
    private var norms: [Float] = []
    private var idOffsets: [UInt64] = [0]
    private var idBytes: [UInt8] = []
    private var documentOffsets: [UInt64] = [0]
    private var documentBytes: [UInt8] = []
    private var labels: [UInt64] = []
    private var hashes: [UInt64] = []

    /// - Parameters:
    ///   - count: the number of rows `append` will be called with.
    ///   - graphToken: names the HNSW graph saved beside the snapshot (0: none).
    public init(path: String, dimension: Int, metric: VectorMetric, count: Int, graphToken: UInt64 = 0) throws(VectorIndexError) {
        self.path = path
        self.dimension = dimension
        self.metric = metric
        self.count = count
        self.graphToken = graphToken
        do {
            file = try AtomicFile(path: path)
        } catch {
            throw .storage(error.description)
        }
        tile = [Float](repeating: 0, count: ExactVectorIndex.tileRows * dimension)
        norms.reserveCapacity(count)
        idOffsets.reserveCapacity(count + 1)
        documentOffsets.reserveCapacity(count + 1)
        hashes.reserveCapacity(count)
    }

    /// Adds the next row: its id, its stored document (JSON bytes), its vector as the index stores
    /// it, and its HNSW label (all rows have one, or none has).
    public mutating func append(id: String, document: [UInt8], vector: [Float], label: UInt64? = nil) throws(VectorIndexError) {
        precondition(appended < count && vector.count == dimension, "IndexSnapshotWriter: row \(appended) does not fit")
        let row = appended % ExactVectorIndex.tileRows
        for index in 0..<dimension { tile[index * ExactVectorIndex.tileRows + row] = vector[index] }
        norms.append(ExactVectorIndex.squaredNorm(vector))
        let idUTF8 = Array(id.utf8)
        hashes.append(idUTF8.withUnsafeBufferPointer(IndexSnapshot.hash))
        idBytes += idUTF8
        idOffsets.append(UInt64(idBytes.count))
        documentBytes += document
        documentOffsets.append(UInt64(documentBytes.count))
        if let label { labels.append(label) }
        appended += 1
        if row == ExactVectorIndex.tileRows - 1 || appended == count { try flushTile() }
    }

    private mutating func flushTile() throws(VectorIndexError) {
        let tileIndex = (appended - 1) / ExactVectorIndex.tileRows
        let tileBytes = tile.count * 4
        let bytes = tile.withUnsafeBytes { Array($0) }
        try store { () throws(RecordLogError) in try file.write(bytes, at: IndexSnapshot.headerSize + tileIndex * tileBytes) }
        for index in tile.indices { tile[index] = 0 }
    }

    /// Writes the tables and the header, then puts the file in place.
    public func finish() throws(VectorIndexError) {
        precondition(appended == count, "IndexSnapshotWriter: \(appended) rows appended, \(count) announced")
        precondition(labels.isEmpty || labels.count == count, "IndexSnapshotWriter: some rows have no label")
        var slotCount = 2
        while slotCount < 2 * count + 1 { slotCount *= 2 }
        var slots = [UInt32](repeating: 0, count: slotCount)
        for (row, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & (slotCount - 1)
            while slots[slot] != 0 { slot = (slot + 1) & (slotCount - 1) }
            slots[slot] = UInt32(row + 1)
        }
        let tiles = (count + ExactVectorIndex.tileRows - 1) / ExactVectorIndex.tileRows
        var offset = IndexSnapshot.headerSize + tiles * ExactVectorIndex.tileRows * dimension * 4
        var table: [(offset: Int, length: Int)] = [(IndexSnapshot.headerSize, offset - IndexSnapshot.headerSize)]
        let sections: [[UInt8]] = [
            Self.bytes(norms), Self.bytes(idOffsets), idBytes, Self.bytes(documentOffsets), documentBytes,
            Self.bytes(slots), Self.bytes(labels),
        ]
        try store { () throws(RecordLogError) in
            for section in sections {
                offset = (offset + 63) / 64 * 64
                try file.write(section, at: offset)
                table.append((offset, section.count))
                offset += section.count
            }
            // The file reaches every section's offset, an empty last one's too.
            try file.write([UInt8](repeating: 0, count: 64), at: offset)
            var header: [UInt8] = IndexSnapshot.magic
            Self.put(UInt32(1), into: &header)
            Self.put(UInt32(dimension), into: &header)
            Self.put(UInt32(IndexSnapshot.metrics.firstIndex(of: metric)!), into: &header)
            Self.put(UInt32(ExactVectorIndex.tileRows), into: &header)
            Self.put(UInt64(count), into: &header)
            Self.put(graphToken, into: &header)
            for (offset, length) in table {
                Self.put(UInt64(offset), into: &header)
                Self.put(UInt64(length), into: &header)
            }
            Self.put(CRC32.checksum(header), into: &header)
            try file.write(header, at: 0)
            try file.commit()
        }
    }

    private func store(_ body: () throws(RecordLogError) -> Void) throws(VectorIndexError) {
        do {
            try body()
        } catch {
            throw .storage("cannot write the snapshot \(path): \(error.description)")
        }
    }

    private static func bytes<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
        values.withUnsafeBytes { Array($0) }  // little-endian, as every platform jina runs on
    }

    private static func bytes(_ values: [Float]) -> [UInt8] {
        values.withUnsafeBytes { Array($0) }
    }

    private static func put<T: FixedWidthInteger>(_ value: T, into bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
    }
}
