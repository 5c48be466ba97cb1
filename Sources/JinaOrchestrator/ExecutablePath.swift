#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The running `jina` binary, which serves the built-in executors. Children start from
/// `/proc/self/exe` (decisions.md: never a `jina` found on PATH — a Python venv has one too),
/// which also keeps working when the file is replaced by a rebuild while the Flow runs.
public enum ExecutablePath {
    public static let selfLink = "/proc/self/exe"

    /// The real path behind `/proc/self/exe` (shown as the children's `argv[0]`).
    public static var resolved: String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(selfLink, &buffer, buffer.count - 1)
        guard count > 0 else { return CommandLine.arguments.first ?? "jina" }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
