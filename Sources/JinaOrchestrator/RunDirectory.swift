#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The private directory of one running Flow, holding the executors' Unix sockets:
/// `/tmp/jina-<pid>-<random>`, mode 0700, removed with everything in it when the Flow stops.
///
/// Kept short on purpose: a socket path (`sun_path`) holds at most 107 bytes.
public struct RunDirectory: Sendable, Equatable {
    /// The longest socket path the kernel accepts (108 bytes with the terminating NUL).
    public static let maxSocketPathLength = 107

    public let path: String

    /// An existing directory (tests).
    public init(path: String) {
        self.path = path
    }

    /// Creates a fresh directory (mode 0700) under `base` (default: `$TMPDIR` when that is short
    /// enough to leave room for socket names, else `/tmp`).
    public static func create(base: String? = nil) throws(OrchestratorError) -> RunDirectory {
        let parent = base ?? defaultBase()
        var template = Array("\(parent)/\(prefix(pid: getpid()))XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard created != nil else {
            throw OrchestratorError(
                "cannot create the Flow's run directory in \(parent): \(String(cString: strerror(errno)))",
                hint: "set TMPDIR to a writable directory with a short path")
        }
        let path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return RunDirectory(path: path)
    }

    /// `jina-<pid>-`: the part of the name before the random suffix.
    static func prefix(pid: Int32) -> String { "jina-\(pid)-" }

    /// `$TMPDIR` if set and at most 40 bytes long, else `/tmp`.
    static func defaultBase() -> String {
        if let value = getenv("TMPDIR").map({ String(cString: $0) }), !value.isEmpty, value.utf8.count <= 40 {
            return value.hasSuffix("/") && value.count > 1 ? String(value.dropLast()) : value
        }
        return "/tmp"
    }

    /// `<dir>/<executor>-s<shard>-r<replica>.sock`; throws when that is too long for a socket.
    public func socketPath(executor: String, shard: Int, replica: Int) throws(OrchestratorError) -> String {
        let socket = "\(path)/\(executor)-s\(shard)-r\(replica).sock"
        guard socket.utf8.count <= Self.maxSocketPathLength else {
            throw OrchestratorError(
                "the socket path for executor `\(executor)` is \(socket.utf8.count) bytes, more than the \(Self.maxSocketPathLength) a Unix socket allows: \(socket)",
                hint: "use a shorter executor name, or set TMPDIR to a shorter directory")
        }
        return socket
    }

    /// Removes the directory and whatever is left in it (stale sockets of killed executors).
    /// Safe to call twice.
    public func remove() {
        if let directory = opendir(path) {
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
                }
                if name == "." || name == ".." { continue }
                unlink("\(path)/\(name)")
            }
            closedir(directory)
        }
        rmdir(path)
    }

    /// Whether the directory still exists.
    public var exists: Bool {
        var info = stat()
        return stat(path, &info) == 0
    }
}
