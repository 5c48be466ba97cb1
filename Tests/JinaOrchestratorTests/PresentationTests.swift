import Glibc
import JinaCore
@testable import JinaOrchestrator
import Testing

@Suite("messages and the ready banner")
struct PresentationTests {
    @Test("listener URLs use each protocol's scheme")
    func urls() {
        #expect(FlowListener(protocolName: .grpc, host: "0.0.0.0", port: 12345).url == "grpc://0.0.0.0:12345")
        #expect(FlowListener(protocolName: .http, host: "127.0.0.1", port: 80).url == "http://127.0.0.1:80")
        #expect(FlowListener(protocolName: .websocket, host: "::", port: 9).url == "ws://[::]:9")
    }

    @Test("how a child ended, in words")
    func termination() {
        #expect(ChildTermination.exited(1).description == "exited with status 1")
        #expect(ChildTermination.signalled(9).description == "was killed by SIGKILL")
    }

    @Test("a start failure names the replica, its status and its stderr tail")
    func startError() {
        let replica = ReplicaPlan(
            executor: "enc", shard: 0, shards: 1, replica: 1, replicas: 2, executable: "/bin/jina", arguments: [],
            environment: [:], address: .unix(path: "/tmp/x.sock"), readyTimeout: nil)
        let error = FlowRunner.startError(replica, StartFailure(reason: "exited with status 2", stderr: ["error: bad", "more"]))
        #expect(error.summary == "executor enc replica 1 could not start: exited with status 2; last lines of its output:\n    | error: bad\n    | more")
        #expect(error.kind == .runtime)
    }

    @Test("durations read naturally")
    func durations() {
        #expect(Console.format(.milliseconds(87)) == "87 ms")
        #expect(Console.format(.milliseconds(1234)) == "1.23 s")
        #expect(ReplicaSupervisor.format(.seconds(60)) == "60 s")
        #expect(ReplicaSupervisor.format(.milliseconds(1500)) == "1500 ms")
    }

    @Test("a port in use is found before anything starts")
    func portInUse() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        listen(fd, 1)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        let port = Int(UInt16(bigEndian: address.sin_port))
        #expect(PortCheck.bindProblem(host: "127.0.0.1", port: port) == "port \(port) is already in use")
        #expect(throws: OrchestratorError.self) { try PortCheck.ensureFree(host: "0.0.0.0", ports: [port]) }
        #expect(PortCheck.bindProblem(host: "127.0.0.1", port: 0) == nil)
    }
}
