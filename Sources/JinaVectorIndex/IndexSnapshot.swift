#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A whole vector index as one file that start-up maps into memory rather than reads: the
/// vectors in the tiled layout exact search scans (`ExactVectorIndex`), an id → row hash table,
/// and each row's stored document (JSON bytes, parsed only when a match returns it). Opening a
/// snapshot of a million vectors costs a few milliseconds of checks, not a parse.
///
/// Layout (little-endian), a 4096-byte header then sections aligned to 64 bytes:
///
/// | header field | |
/// |---|---|
/// | `JINAVIX1` | magic |
/// | u32 version (1), u32 dimension, u32 metric (0 cosine, 1 dot, 2 l2), u32 tile rows (16) | |
/// | u64 count, u64 graph token (HNSW: names the saved graph beside it; 0 for none) | |
/// | 8 × (u64 offset, u64 length) | vectors, norms, id offsets, id bytes, document offsets, document bytes, hash slots, labels |
/// | u32 CRC-32 of the header bytes before it | |
///
/// The file is written atomically (`AtomicFile`), so it is whole or absent; opening still checks
/// every offset and table it will follow, so a damaged file is an error, never a crash.
public final class IndexSnapshot: @unchecked Sendable {
    public let path: String
    public let dimension: Int
    public let metric: VectorMetric
    public let count: Int
    /// Names the HNSW graph saved with this snapshot (`graphPath`); 0 when there is none.
    public let graphToken: UInt64
    /// The tiled vectors (`ExactVectorIndex.offset`), `count` rows padded to whole tiles.
    let vectors: UnsafePointer<Float>
    /// ‖v‖² per row.
    let norms: UnsafePointer<Float>
    private let idOffsets: UnsafePointer<UInt64>
    private let idBytes: UnsafePointer<UInt8>
    private let documentOffsets: UnsafePointer<UInt64>
    private let documentBytes: UnsafePointer<UInt8>
    private let slots: UnsafePointer<UInt32>
    private let slotMask: Int
    private let labelTable: UnsafePointer<UInt64>?
    private let mapping: UnsafeMutableRawPointer
    private let length: Int

    static let magic = Array("JINAVIX1".utf8)
    static let headerSize = 4096
    static let sectionCount = 8
    /// Where the header's CRC sits: after magic, 4 × u32, 2 × u64 and the section table.
    static let checksumOffset = 8 + 16 + 16 + sectionCount * 16

    /// Opens and checks `path`; the vectors stay on disk until a search touches them.
    public init(path: String) throws(VectorIndexError) {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .storage("cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw .storage("cannot read \(path): \(String(cString: strerror(errno)))") }
        length = Int(status.st_size)
        guard length >= Self.headerSize else { throw Self.damaged(path, "it is \(length) bytes, shorter than its header") }
        guard let mapped = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else {
            throw .storage("cannot map \(path) into memory: \(String(cString: strerror(errno)))")
        }
        mapping = mapped
        let header = UnsafeRawPointer(mapped)
        func u32(_ offset: Int) -> UInt32 { header.loadUnaligned(fromByteOffset: offset, as: UInt32.self) }
        func u64(_ offset: Int) -> UInt64 { header.loadUnaligned(fromByteOffset: offset, as: UInt64.self) }
        do throws(VectorIndexError) {
            guard (0..<8).allSatisfy({ header.load(fromByteOffset: $0, as: UInt8.self) == Self.magic[$0] }) else {
                throw Self.damaged(path, "it is not a vector index snapshot")
            }
            let headerBytes = UnsafeRawBufferPointer(start: header, count: Self.checksumOffset)
            guard CRC32.checksum(headerBytes) == u32(Self.checksumOffset) else {
                throw Self.damaged(path, "its header checksum does not match")
            }
            guard u32(8) == 1 else { throw Self.damaged(path, "it has format version \(u32(8)); this jina reads version 1") }
            guard let metric = Self.metrics.indices.contains(Int(u32(16))) ? Self.metrics[Int(u32(16))] : nil,
                  u32(20) == UInt32(ExactVectorIndex.tileRows), u32(12) > 0 else {
                throw Self.damaged(path, "its header names an unknown metric, tile size or dimension")
            }
            dimension = Int(u32(12))
            self.metric = metric
            guard u64(24) < UInt64(Int32.max) else { throw Self.damaged(path, "it claims \(u64(24)) vectors") }
            count = Int(u64(24))
            graphToken = u64(32)
            var sections: [(offset: Int, length: Int)] = []
            for index in 0..<Self.sectionCount {
                let offset = u64(40 + index * 16), size = u64(48 + index * 16)
                guard offset % 8 == 0, offset <= UInt64(length), size <= UInt64(length) - offset else {
                    throw Self.damaged(path, "section \(index) lies outside the file")
                }
                sections.append((Int(offset), Int(size)))
            }
            let tiles = (count + ExactVectorIndex.tileRows - 1) / ExactVectorIndex.tileRows
            let expected = [tiles * ExactVectorIndex.tileRows * dimension * 4, count * 4, (count + 1) * 8, -1, (count + 1) * 8, -1]
            for (index, size) in expected.enumerated() where size >= 0 && sections[index].length != size {
                throw Self.damaged(path, "section \(index) holds \(sections[index].length) bytes, \(size) expected")
            }
            let slotCount = sections[6].length / 4
            guard slotCount > count, slotCount & (slotCount - 1) == 0, sections[6].length % 4 == 0 else {
                throw Self.damaged(path, "its hash table has \(slotCount) slots for \(count) vectors")
            }
            guard sections[7].length == 0 || sections[7].length == count * 8 else {
                throw Self.damaged(path, "its label table holds \(sections[7].length) bytes for \(count) vectors")
            }
            func pointer<T>(_ section: Int, _: T.Type) -> UnsafePointer<T> {
                (header + sections[section].offset).assumingMemoryBound(to: T.self)
            }
            vectors = pointer(0, Float.self)
            norms = pointer(1, Float.self)
            idOffsets = pointer(2, UInt64.self)
            idBytes = pointer(3, UInt8.self)
            documentOffsets = pointer(4, UInt64.self)
            documentBytes = pointer(5, UInt8.self)
            slots = pointer(6, UInt32.self)
            slotMask = slotCount - 1
            labelTable = sections[7].length > 0 ? pointer(7, UInt64.self) : nil
            try Self.checkOffsets(idOffsets, count: count, bytes: sections[3].length, what: "ids", path: path)
            try Self.checkOffsets(documentOffsets, count: count, bytes: sections[5].length, what: "documents", path: path)
            var used = 0
            for slot in 0..<slotCount where slots[slot] != 0 {
                guard Int(slots[slot]) <= count else { throw Self.damaged(path, "its hash table points past the last vector") }
                used += 1
            }
            guard used == count else { throw Self.damaged(path, "its hash table holds \(used) ids for \(count) vectors") }
        } catch {
            munmap(mapped, length)
            throw error
        }
        // The first search reads every vector: ask the kernel to start reading them now.
        madvise(mapped, length, MADV_WILLNEED)
    }

    deinit { munmap(mapping, length) }

    static let metrics: [VectorMetric] = [.cosine, .dot, .l2]

    private static func damaged(_ path: String, _ why: String) -> VectorIndexError {
        .storage("the snapshot \(path) is damaged: \(why)")
    }

    private static func checkOffsets(_ offsets: UnsafePointer<UInt64>, count: Int, bytes: Int, what: String,
                                     path: String) throws(VectorIndexError) {
        guard offsets[0] == 0, offsets[count] == UInt64(bytes) else {
            throw damaged(path, "its table of \(what) does not cover its \(what)")
        }
        for row in 0..<count where offsets[row] > offsets[row + 1] {
            throw damaged(path, "its table of \(what) goes backwards at row \(row)")
        }
    }

    /// The file the HNSW graph of this snapshot is saved in (beside it, named by its token).
    public static func graphPath(snapshot path: String, token: UInt64) -> String {
        path + "." + String(token, radix: 16) + ".hnsw"
    }

    /// The id of `row`.
    public func id(_ row: Int) -> String {
        let start = Int(idOffsets[row]), end = Int(idOffsets[row + 1])
        return String(decoding: UnsafeBufferPointer(start: idBytes + start, count: end - start), as: UTF8.self)
    }

    /// The stored document of `row`, as its JSON bytes.
    public func document(_ row: Int) -> [UInt8] {
        let start = Int(documentOffsets[row]), end = Int(documentOffsets[row + 1])
        return Array(UnsafeBufferPointer(start: documentBytes + start, count: end - start))
    }

    /// The HNSW label of `row`, when the snapshot has labels.
    public func label(_ row: Int) -> UInt64? { labelTable?[row] }

    /// The row of `id`, if the snapshot holds it.
    public func row(of id: String) -> Int? {
        var id = id
        return id.withUTF8 { key in
            var slot = Int(truncatingIfNeeded: Self.hash(key)) & slotMask
            while slots[slot] != 0 {
                let row = Int(slots[slot]) - 1
                let start = Int(idOffsets[row]), end = Int(idOffsets[row + 1])
                if end - start == key.count, key.isEmpty || memcmp(idBytes + start, key.baseAddress!, key.count) == 0 {
                    return row
                }
                slot = (slot + 1) & slotMask
            }
            return nil
        }
    }

    /// The stored vector of `row`.
    public func vector(_ row: Int) -> [Float] {
        (0..<dimension).map { vectors[ExactVectorIndex.offset(row: row, index: $0, dimension: dimension)] }
    }

    /// FNV-1a, 64 bits: stable across processes (Swift's `Hasher` is seeded per process).
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var value: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return value
    }
}
