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

    /// Removes run directories under `base` left by Flows that were killed (SIGKILL cannot be
    /// cleaned up after): `jina-<pid>-XXXXXX` owned by this user, whose process is gone, holding
    /// only executor socket files. Anything else is left alone. Returns the removed paths.
    @discardableResult
    public static func removeStale(in base: String? = nil) -> [String] {
        let parent = base ?? defaultBase()
        guard let directory = opendir(parent) else { return [] }
        var names: [String] = []
        while let entry = readdir(directory) {
            names.append(withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            })
        }
        closedir(directory)
        var removed: [String] = []
        for name in names {
            guard let pid = stalePID(name), kill(pid, 0) == -1, errno == ESRCH else { continue }
            let path = "\(parent)/\(name)"
            var info = stat()
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR, info.st_uid == getuid() else { continue }
            let candidate = RunDirectory(path: path)
            // Executors' gRPC sockets and their local-wire siblings (`.sock.lw`, docs/local-wire.md).
            guard candidate.entries.allSatisfy({ $0.hasSuffix(".sock") || $0.hasSuffix(".sock.lw") }) else { continue }
            candidate.remove()
            if !candidate.exists { removed.append(path) }
        }
        return removed
    }

    /// The pid in a run directory's name (`jina-<pid>-` and six characters), else nil.
    static func stalePID(_ name: String) -> Int32? {
        let parts = name.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "jina", parts[2].count == 6,
              parts[2].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }),
              let pid = Int32(parts[1]), pid > 0 else { return nil }
        return pid
    }

    /// The names of the entries in the directory.
    var entries: [String] {
        guard let directory = opendir(path) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
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
        // A head executor's name (`indexer/uses_before-0`) holds a `/`; names cannot hold `-`.
        let socket = "\(path)/\(executor.replacingOccurrences(of: "/", with: "-"))-s\(shard)-r\(replica).sock"
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
        for name in entries { unlink("\(path)/\(name)") }
        rmdir(path)
    }

    /// Whether the directory still exists.
    public var exists: Bool {
        var info = stat()
        return stat(path, &info) == 0
    }
}
