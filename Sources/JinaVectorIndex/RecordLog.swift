#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// An append-only file of records, each `[length: u32 LE][crc32: u32 LE][payload]`. `append`
/// returns only after the record is on disk (`fsync`), so an acknowledged write survives a
/// SIGKILL or a power cut. `read` returns the records up to the first torn or corrupt one and
/// says how many bytes after it were cut (the file is truncated there, so the next append does
/// not follow garbage): a record is either wholly there, with its checksum, or not at all.
public final class RecordLog: @unchecked Sendable {
    public let path: String
    private var fd: Int32
    /// Bytes in the file (after recovery: up to the last good record).
    public private(set) var size: Int

    /// What opening found in an existing file.
    public struct Recovery: Sendable, Equatable {
        public var records: [[UInt8]]
        /// Bytes cut from the end (a torn or corrupt tail); 0 when the file was whole.
        public var droppedBytes: Int
        /// Why the tail was cut, when it was.
        public var reason: String?
    }

    /// Opens (creating) `path`, reads its records, cuts a bad tail.
    public init(path: String) throws(RecordLogError) {
        self.path = path
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io("cannot open \(path)", errno) }
        size = 0
    }

    deinit { close(fd) }

    /// Reads every whole record; truncates the file after the last one.
    public func recover() throws(RecordLogError) -> Recovery {
        let bytes = try readAll()
        var records: [[UInt8]] = []
        var offset = 0
        var reason: String?
        while offset < bytes.count {
            guard bytes.count - offset >= 8 else { reason = "a torn record header"; break }
            let length = Int(Self.u32(bytes, offset))
            let checksum = Self.u32(bytes, offset + 4)
            guard length <= bytes.count - offset - 8 else { reason = "a torn record (\(length) bytes announced)"; break }
            let payload = Array(bytes[(offset + 8)..<(offset + 8 + length)])
            guard CRC32.checksum(payload) == checksum else { reason = "a record whose checksum does not match"; break }
            records.append(payload)
            offset += 8 + length
        }
        let dropped = bytes.count - offset
        if dropped > 0 {
            guard ftruncate(fd, off_t(offset)) == 0, fsync(fd) == 0 else { throw .io("cannot cut the bad tail of \(path)", errno) }
        }
        size = offset
        return Recovery(records: records, droppedBytes: dropped, reason: reason)
    }

    /// Appends one record and waits until it is on disk.
    public func append(_ payload: [UInt8]) throws(RecordLogError) {
        var record: [UInt8] = []
        record.reserveCapacity(payload.count + 8)
        Self.put(UInt32(payload.count), into: &record)
        Self.put(CRC32.checksum(payload), into: &record)
        record += payload
        try writeAll(record, at: size)
        guard fsync(fd) == 0 else { throw .io("cannot sync \(path)", errno) }
        size += record.count
    }

    /// Empties the file (after its records were saved elsewhere).
    public func truncate() throws(RecordLogError) {
        guard ftruncate(fd, 0) == 0, fsync(fd) == 0 else { throw .io("cannot truncate \(path)", errno) }
        size = 0
    }

    private func readAll() throws(RecordLogError) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var offset: off_t = 0
        while true {
            let count = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, offset) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .io("cannot read \(path)", errno)
            }
            if count == 0 { return bytes }
            bytes += chunk[0..<count]
            offset += off_t(count)
        }
    }

    private func writeAll(_ bytes: [UInt8], at offset: Int) throws(RecordLogError) {
        try FileIO.write(fd: fd, bytes, at: offset, path: path)
    }

    static func u32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }

    static func put(_ value: UInt32, into bytes: inout [UInt8]) {
        bytes += [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 24)]
    }
}

/// A file operation that failed, with the system's reason.
public enum RecordLogError: Error, CustomStringConvertible {
    case io(String, Int32)

    public var description: String {
        switch self {
        case .io(let what, let code): "\(what): \(String(cString: strerror(code)))"
        }
    }
}

/// CRC-32 (IEEE 802.3, the zlib polynomial), table-driven.
enum CRC32 {
    static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 != 0 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    static func checksum<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
