import Foundation
import JinaCore
import JinaClient
@testable import JinaGateway
import Testing

@Suite("jina ping")
struct PingTests {
    @Test("targets: schemes, bare host:port, unix paths; malformed ones are invalid input")
    func targets() throws {
        #expect(try GatewayTarget(parsing: "grpc://127.0.0.1:1234").description == "grpc://127.0.0.1:1234")
        #expect(try GatewayTarget(parsing: "localhost:80").scheme == .grpc)
        #expect(try GatewayTarget(parsing: "grpcs://example.com:443/").host == "example.com")
        #expect(try GatewayTarget(parsing: "[::1]:5").host == "::1")
        #expect(try GatewayTarget(parsing: "unix:///tmp/x.sock").path == "/tmp/x.sock")
        #expect(try GatewayTarget(parsing: "http://h:1").isGRPC == false)
        #expect(try GatewayTarget(parsing: "websocket://h:1").scheme == .ws)
        #expect(try GatewayTarget(parsing: "wss://h:1").usesTLS)
        for bad in ["", "localhost", "grpc://:1", "grpc://h:0", "grpc://h:99999", "ftp://h:1", "unix://", "h:x"] {
            #expect(throws: ClientError.self, "\(bad)") { try GatewayTarget(parsing: bad) }
        }
    }

    @Test("timeouts: durations, bare milliseconds, -1 for forever")
    func timeouts() throws {
        #expect(try PingTimeout.parse("3s") == .seconds(3))
        #expect(try PingTimeout.parse("500ms") == .milliseconds(500))
        #expect(try PingTimeout.parse("3000") == .seconds(3))
        #expect(try PingTimeout.parse("1.5s") == .milliseconds(1500))
        #expect(try PingTimeout.parse("2m") == .seconds(120))
        #expect(try PingTimeout.parse("-1") == nil)
        #expect(throws: ClientError.self) { try PingTimeout.parse("soon") }
        #expect(throws: ClientError.self) { try PingTimeout.parse("-5") }
    }

    @Test("a timeout longer than a year is invalid input (exit 2), not a crash")
    func hugeTimeouts() throws {
        #expect(try PingTimeout.parse("31536000s") == .seconds(31_536_000))
        for huge in ["1e300", "1e30s", "31536001s", "9999999999999999m"] {
            let error = #expect(throws: ClientError.self, "\(huge)") { try PingTimeout.parse(huge) }
            #expect(error?.kind == .invalidInput)
        }
    }

    @Test("flow, gateway and executor checks against a live gateway and executor; a dead target fails")
    func live() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let flow = try loadFlow(helloFlow)
        let socket = "\(directory)/g.sock"
        try await withExecutors([ExecutorToStart(name: "greeter", usesWith: ["text": "!"], address: .unix(path: socket))]) { addresses in
            let configuration = GatewayConfiguration(flow: flow, addresses: [
                "greeter": DeploymentAddresses(replicas: [addresses[0].executorAddress]),
                "echoer": DeploymentAddresses(replicas: [.unix(path: "\(directory)/missing.sock")]),
            ], host: "127.0.0.1", ports: [0])
            try await withGateway(configuration) { port in
                let gateway = try GatewayTarget(parsing: "127.0.0.1:\(port)")
                let gatewayCheck = await Pinger.check(kind: .gateway, target: gateway, timeout: .seconds(10))
                #expect(gatewayCheck.ok, "\(gatewayCheck.error ?? "")")
                let executorCheck = await Pinger.check(kind: .executor, target: try GatewayTarget(parsing: "unix://\(socket)"), timeout: .seconds(10))
                #expect(executorCheck.ok, "\(executorCheck.error ?? "")")
                // `echoer` is down: the gateway is healthy, the Flow is not.
                let flowCheck = await Pinger.check(kind: .flow, target: gateway, timeout: .seconds(10))
                #expect(!flowCheck.ok)
                #expect(flowCheck.error?.contains("echoer") == true)

                let report = await Pinger.run(kind: .gateway, target: gateway, timeout: .seconds(3), attempts: 2, minimumSuccesses: 2)
                #expect(report.ok && report.successes == 2)
                #expect(report.json.contains("\"ok\":true"))
            }
            let dead = await Pinger.check(kind: .executor, target: try GatewayTarget(parsing: "unix://\(directory)/missing.sock"), timeout: .seconds(3))
            #expect(!dead.ok)
        }
    }
}
