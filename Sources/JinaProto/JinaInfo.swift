#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import JinaCore
import SwiftProtobuf

/// What `JinaInfoRPC/_status` answers: the keys Python Jina's `get_full_version()` reports,
/// with our values (the Jina protocol version we match, not a Python package's), plus
/// `jina-swift` (this binary's version) and the versions of the Swift gRPC stack.
public enum JinaInfo {
    /// The environment variables Jina lists in `envs` (value or `(unset)`).
    static let environmentNames = [
        "JINA_DEFAULT_HOST", "JINA_DEFAULT_TIMEOUT_CTRL", "JINA_DEPLOYMENT_NAME", "JINA_DISABLE_UVLOOP",
        "JINA_EARLY_STOP", "JINA_FULL_CLI", "JINA_GATEWAY_IMAGE", "JINA_GRPC_RECV_BYTES", "JINA_GRPC_SEND_BYTES",
        "JINA_HUB_NO_IMAGE_REBUILD", "JINA_LOG_CONFIG", "JINA_LOG_LEVEL", "JINA_LOG_NO_COLOR",
        "JINA_MP_START_METHOD", "JINA_OPTOUT_TELEMETRY", "JINA_RANDOM_PORT_MAX", "JINA_RANDOM_PORT_MIN",
        "JINA_LOCKS_ROOT", "JINA_K8S_ACCESS_MODES", "JINA_K8S_STORAGE_CLASS_NAME", "JINA_K8S_STORAGE_CAPACITY",
        "JINA_STREAMER_ARGS",
    ]

    /// The reply, computed once per process (`uptime` is the start time, as in Jina).
    public static func make(startedAt: Google_Protobuf_Timestamp) -> Jina_JinaInfoProto {
        var info = Jina_JinaInfoProto()
        var system = utsname()
        uname(&system)
        info.jina = [
            "jina": JinaProtocolVersion.jina,
            "docarray": JinaProtocolVersion.docarray,
            "jina-proto": "0.1.27",
            "jina-swift": JinaVersion.current,
            "protobuf": SwiftProtobuf.Version.versionString,
            "proto-backend": "swift-protobuf",
            "grpc-swift": "2.4.3",
            "platform": field(&system.sysname),
            "platform-release": field(&system.release),
            "platform-version": field(&system.version),
            "architecture": field(&system.machine),
            "processor": "",
            "session-id": Document.generateID(),
            "uptime": iso8601(startedAt),
            "ci-vendor": "(unset)",
            "internal": "False",
        ]
        for name in environmentNames {
            info.envs[name] = getenv(name).map { String(cString: $0) } ?? "(unset)"
        }
        return info
    }

    private static func field<T>(_ tuple: inout T) -> String {
        withUnsafeBytes(of: &tuple) { raw in
            let bytes = raw.prefix { $0 != 0 }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// `2026-11-29T11:35:42.309813` (UTC), the shape of Python's `datetime.isoformat()`.
    static func iso8601(_ time: Google_Protobuf_Timestamp) -> String {
        var seconds = time_t(time.seconds)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let micros = String(Int(time.nanos) / 1000)
        let fraction = String(repeating: "0", count: 6 - micros.count) + micros
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(fraction)"
    }
}
