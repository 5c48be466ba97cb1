#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import SwiftProtobuf

extension Google_Protobuf_Timestamp {
    /// The current wall-clock time, as routes and `_status` carry it.
    public static func now() -> Google_Protobuf_Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Google_Protobuf_Timestamp(seconds: Int64(spec.tv_sec), nanos: Int32(spec.tv_nsec))
    }
}
