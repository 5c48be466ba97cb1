#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Socket files of executors listening on Unix sockets: a stale one (nobody listening) is
/// removed before binding; a live one is an error, not stolen; ours is removed on exit.
enum UnixSocketFile {
    static func prepare(_ path: String) throws(ExecutorError) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard (info.st_mode & S_IFMT) == S_IFSOCK else {
            throw ExecutorError(
                .invalidInput, "cannot listen on unix://\(path): the file exists and is not a socket",
                hint: "remove it or choose another --socket path")
        }
        if isListening(path) {
            throw ExecutorError(
                .runtime, "cannot listen on unix://\(path): address already in use",
                hint: "another process is listening on that socket; choose another --socket path")
        }
        unlink(path)
    }

    static func remove(_ path: String) {
        unlink(path)
    }

    /// Whether something accepts connections on the socket at `path`.
    private static func isListening(_ path: String) -> Bool {
        #if canImport(Darwin)
        let fd = socket(AF_UNIX, SOCK_STREAM, 0)
        #else
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #endif
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in bytes.prefix(buffer.count - 1).enumerated() { buffer[index] = byte }
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        return result == 0
    }
}
