import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// ONNX Runtime's shared library, loaded at run time with `dlopen` (issue #14): the `jina`
/// binary never links it, and only an executor that runs a model loads it. The library is the
/// one the `onnxruntime` PyPI wheel ships (`scripts/install-models.sh` unpacks it); no header is
/// shipped anywhere, so the few C API entry points used here are declared in `ONNXFunctions` by
/// their place in the API table, for the pinned version.
///
/// One runtime (and one ONNX Runtime environment) per library path per process.
public final class ONNXRuntime: @unchecked Sendable {
    /// The ONNX Runtime release the entry points are declared for.
    public static let pinnedVersion = "1.32.0"
    /// Its C API version (for 1.x releases, the minor number).
    static let apiVersion: UInt32 = 32

    public let path: String
    /// The library's own version string.
    public let version: String
    let api: ONNXFunctions
    /// The process's ONNX Runtime environment (logging, thread pools).
    let environment: OpaquePointer

    private static let cache = Mutex<[String: ONNXRuntime]>([:])

    /// The runtime at `path`, loaded once per process.
    public static func load(path: String) throws(ONNXError) -> ONNXRuntime {
        if let loaded = cache.withLock({ $0[path] }) { return loaded }
        let runtime = try ONNXRuntime(path: path)
        return cache.withLock { cached in
            if let earlier = cached[path] { return earlier }
            cached[path] = runtime
            return runtime
        }
    }

    private init(path: String) throws(ONNXError) {
        self.path = path
        guard access(path, R_OK) == 0 else { throw .libraryMissing(path: path) }
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            throw .libraryUnusable(path: path, reason: dlerror().map { String(cString: $0) } ?? "dlopen failed")
        }
        // The library stays loaded for the life of the process: sessions point into it.
        guard let symbol = dlsym(handle, "OrtGetApiBase") else {
            throw .libraryUnusable(path: path, reason: "it has no OrtGetApiBase; is it ONNX Runtime?")
        }
        typealias GetApiBase = @convention(c) () -> UnsafePointer<UnsafeRawPointer?>?
        guard let base = unsafeBitCast(symbol, to: GetApiBase.self)(), let getApi = base[0], let getVersion = base[1] else {
            throw .libraryUnusable(path: path, reason: "OrtGetApiBase returned nothing")
        }
        typealias VersionString = @convention(c) () -> UnsafePointer<CChar>?
        version = unsafeBitCast(getVersion, to: VersionString.self)().map { String(cString: $0) } ?? "?"
        guard version == Self.pinnedVersion else {
            throw .wrongVersion(path: path, found: version, expected: Self.pinnedVersion)
        }
        typealias GetApi = @convention(c) (UInt32) -> UnsafePointer<UnsafeRawPointer?>?
        guard let table = unsafeBitCast(getApi, to: GetApi.self)(Self.apiVersion) else {
            throw .libraryUnusable(path: path, reason: "it does not offer C API version \(Self.apiVersion)")
        }
        api = ONNXFunctions(table: table)
        var environment: OpaquePointer?
        try api.check(api.createEnv(ONNXFunctions.loggingWarning, "jina", &environment), doing: "create its environment")
        guard let environment else { throw .libraryUnusable(path: path, reason: "CreateEnv returned no environment") }
        self.environment = environment
        _ = api.disableTelemetryEvents(environment).map(api.releaseStatus)
    }

    /// Where `scripts/install-models.sh` puts models and the runtime: `JINA_MODELS`, else
    /// `$XDG_CACHE_HOME/jina/models`, else `~/.cache/jina/models`.
    public static var modelsFolder: String {
        if let folder = environment("JINA_MODELS"), !folder.isEmpty { return folder }
        if let cache = environment("XDG_CACHE_HOME"), !cache.isEmpty { return cache + "/jina/models" }
        return (environment("HOME") ?? "/root") + "/.cache/jina/models"
    }

    /// The library to load: `configured` (an executor's `uses_with.runtime`), else
    /// `JINA_ONNXRUNTIME`, else the one in `modelsFolder`.
    public static func libraryPath(configured: String?) -> String {
        if let configured, !configured.isEmpty { return configured }
        if let path = environment("JINA_ONNXRUNTIME"), !path.isEmpty { return path }
        return modelsFolder + "/onnxruntime/libonnxruntime.so." + pinnedVersion
    }

    static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}

