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
