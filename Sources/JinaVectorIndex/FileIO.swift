#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

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
