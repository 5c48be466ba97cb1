#if canImport(Glibc)
import Glibc
#endif
import Logging
import Testing
@testable import JinaObservability

@Suite struct MetricsServerTests {
    /// One HTTP/1.1 GET over a plain socket: the raw response.
    static func get(port: Int, path: String) -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = in_addr_t(UInt32(0x7F00_0001).bigEndian)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return "" }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var response: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            response += chunk[0..<count]
        }
        return String(decoding: response, as: UTF8.self)
    }

    @Test func servesTheRegistryAndStopsWhenCancelled() async throws {
        let registry = MetricsRegistry()
        let metrics = GatewayMetrics(registry: registry, executors: ["a"])
        metrics.successful.increment(by: Int64(5))
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let server = MetricsServer(host: "127.0.0.1", port: 0, registry: registry, logger: logger)
        let (ports, portsIn) = AsyncStream.makeStream(of: Int.self)
        let serving = Task { try await server.run { portsIn.yield($0) } }
        let port = try #require(await ports.first { _ in true })
        #expect(port > 0)

        let response = await Task.detached { Self.get(port: port, path: "/metrics") }.value
        #expect(response.hasPrefix("HTTP/1.1 200"))
        #expect(response.lowercased().contains("content-type: text/plain; version=0.0.4; charset=utf-8"))
        #expect(response.contains(#"jina_successful_requests_total{runtime_name="gateway/rep-0"} 5"#))
        #expect(response.contains("process_open_fds "))
        let root = await Task.detached { Self.get(port: port, path: "/") }.value
        #expect(root.hasPrefix("HTTP/1.1 200"))
        let elsewhere = await Task.detached { Self.get(port: port, path: "/nope") }.value
        #expect(elsewhere.hasPrefix("HTTP/1.1 404"))

        serving.cancel()
        try await serving.value
    }

    @Test func aPortInUseIsAnError() async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let first = MetricsServer(host: "127.0.0.1", port: 0, registry: MetricsRegistry(), logger: logger)
        let (ports, portsIn) = AsyncStream.makeStream(of: Int.self)
        let serving = Task { try await first.run { portsIn.yield($0) } }
        let port = try #require(await ports.first { _ in true })
        let second = MetricsServer(host: "127.0.0.1", port: port, registry: MetricsRegistry(), logger: logger)
        await #expect {
            try await second.run()
        } throws: { error in
            (error as? MetricsServerError)?.description == "cannot serve metrics on 127.0.0.1:\(port): address already in use"
        }
        serving.cancel()
        try await serving.value
    }
}
