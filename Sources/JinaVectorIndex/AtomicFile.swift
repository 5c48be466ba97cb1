#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A file written in full, then put in place atomically: it is written as `PATH.tmp`, fsynced,
/// renamed over `PATH`, and the folder is fsynced. A crash leaves the old file or the new one,
/// never a mix. Dropped without `commit()`, the temporary file is removed.
public final class AtomicFile {
    public let path: String
    private let temporary: String
    private var fd: Int32

    public init(path: String) throws(RecordLogError) {
        self.path = path
        temporary = path + ".tmp"
        fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io("cannot create \(temporary)", errno) }
    }

    deinit {
        if fd >= 0 {
            close(fd)
            unlink(temporary)
        }
    }

    /// Writes `bytes` at `offset` (the file grows as needed; gaps read as zeros).
    public func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws(RecordLogError) {
        try FileIO.write(fd: fd, bytes, at: offset, path: temporary)
    }

    public func write(_ bytes: [UInt8], at offset: Int) throws(RecordLogError) {
        try FileIO.write(fd: fd, bytes, at: offset, path: temporary)
    }

    /// Syncs the file and renames it over `path`.
    public func commit() throws(RecordLogError) {
        guard fsync(fd) == 0 else { throw .io("cannot sync \(temporary)", errno) }
        close(fd)
        fd = -1
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw .io("cannot rename \(temporary)", code)
        }
        FileIO.syncFolder(of: path)
    }
}

/// Whole-buffer positional writes and folder syncs, retried on EINTR.
enum FileIO {
    static func write(fd: Int32, _ bytes: UnsafeRawBufferPointer, at start: Int, path: String) throws(RecordLogError) {
        var written = 0
        while written < bytes.count {
            let count = pwrite(fd, bytes.baseAddress! + written, bytes.count - written, off_t(start + written))
            if count < 0 {
                if errno == EINTR { continue }
                throw .io("cannot write \(path)", errno)
            }
            written += count
        }
    }

    static func write(fd: Int32, _ bytes: [UInt8], at start: Int, path: String) throws(RecordLogError) {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(RecordLogError) in try write(fd: fd, buffer, at: start, path: path) }
        }
        try result.get()
    }

    /// Flushes the file at `path` to disk.
    static func sync(path: String) throws(VectorIndexError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .storage("cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw .storage("cannot sync \(path): \(String(cString: strerror(errno)))") }
    }

    /// Removes the files in the folder of `path` whose names `matching` accepts.
    static func removeFiles(besides path: String, matching: (String) -> Bool) {
        let folder = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        guard let directory = opendir(folder.isEmpty ? "/" : folder) else { return }
        var doomed: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if matching(name) { doomed.append(name) }
        }
        closedir(directory)
        for name in doomed { unlink(folder + "/" + name) }
        if !doomed.isEmpty { syncFolder(of: path) }
    }

    /// Makes a rename or a removal in the folder of `path` durable.
    static func syncFolder(of path: String) {
        let folder = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        let directory = open(folder.isEmpty ? "/" : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory >= 0 {
            fsync(directory)
            close(directory)
        }
    }
}
