#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Checks, before anything starts, that the gateway's ports can be bound, so that a port in
/// use is one clear message instead of executors started and stopped again. (The gateway's own
/// bind can still fail if another program takes the port in between; that is reported too.)
enum PortCheck {
    static func ensureFree(host: String, ports: [Int]) throws(OrchestratorError) {
        for port in ports where port > 0 {
            if let problem = bindProblem(host: host, port: port) {
                throw OrchestratorError(
                    "the gateway cannot listen on \(host):\(port): \(problem)",
                    hint: problem.contains("in use")
                        ? "stop the program using port \(port) (`ss -ltnp 'sport = :\(port)'` shows it) or choose another `port` in the Flow YAML"
                        : "check the gateway's `host` and `port` in the Flow YAML")
            }
        }
    }

    /// nil when a TCP socket can bind `host:port` (with SO_REUSEADDR, as servers do), else why not.
    static func bindProblem(host: String, port: Int) -> String? {
        let isIPv6 = host.contains(":")
        let fd = socket(isIPv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return String(cString: strerror(errno)) }
        defer { close(fd) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var result: Int32
        if isIPv6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = in_port_t(UInt16(port).bigEndian)
            guard inet_pton(AF_INET6, host, &address.sin6_addr) == 1 else { return nil }
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            let text = host == "localhost" ? "127.0.0.1" : host
            // A host name the gateway resolves itself: leave the check to it.
            guard inet_pton(AF_INET, text, &address.sin_addr) == 1 else { return nil }
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        guard result != 0 else { return nil }
        return errno == EADDRINUSE ? "port \(port) is already in use" : String(cString: strerror(errno))
    }
}
