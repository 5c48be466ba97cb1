import JinaCore
@testable import JinaGateway
import Testing

@Suite("Which port the gateway's gRPC server takes")
struct ListenerPlanTests {
    @Test("gRPC's own port among several protocols; without a frontend the others are reported, not served")
    func grpcAmongOthers() throws {
        let flow = try loadFlow("jtype: Flow\ngateway:\n  protocol: [http, grpc, websocket]\n  port: [8080, 9090, 7070]\nexecutors: []\n")
        let plan = ListenerPlan(GatewayConfiguration(flow: flow, addresses: [:]))
        #expect(plan.grpcPort == 9090)
        #expect(plan.listeners == [.init(protocol: .grpc, port: 9090)])
        #expect(plan.host == "0.0.0.0")
        #expect(plan.warnings.count == 2)
        #expect(plan.warnings[0].contains("http") && plan.warnings[0].contains("8080"))
    }

    @Test("with a frontend, every protocol gets its own port, in order")
    func allProtocols() throws {
        let flow = try loadFlow("jtype: Flow\ngateway:\n  protocol: [http, grpc, websocket]\n  port: [8080, 9090, 7070]\nexecutors: []\n")
        let plan = ListenerPlan(GatewayConfiguration(flow: flow, addresses: [:]), servable: [.http, .websocket])
        #expect(plan.listeners == [.init(protocol: .http, port: 8080), .init(protocol: .grpc, port: 9090),
                                   .init(protocol: .websocket, port: 7070)])
        #expect(plan.warnings.isEmpty)
    }

    @Test("without gRPC in the list and no frontend, gRPC is served on the first port, with a warning; overrides win")
    func noGRPC() throws {
        let flow = try loadFlow("jtype: Flow\ngateway:\n  protocol: http\n  port: 8080\nexecutors: []\n")
        let plan = ListenerPlan(GatewayConfiguration(flow: flow, addresses: [:]))
        #expect(plan.grpcPort == 8080)
        #expect(plan.warnings.count == 1)
        let overridden = ListenerPlan(GatewayConfiguration(flow: flow, addresses: [:], host: "127.0.0.1", ports: [0]))
        #expect(overridden.grpcPort == 0 && overridden.host == "127.0.0.1")
        let served = ListenerPlan(GatewayConfiguration(flow: flow, addresses: [:]), servable: [.http])
        #expect(served.grpcPort == nil && served.listeners == [.init(protocol: .http, port: 8080)])
    }

    @Test("external executors are reached at their host and port from the Flow (one replica per port)")
    func externalAddresses() throws {
        let flow = try loadFlow("""
            jtype: Flow
            executors:
              - name: py
                external: true
                host: 10.0.0.5
                port: [8081, 8082]
              - name: tls
                external: true
                host: example.com
                port: 443
                tls: true
            """)
        let configuration = GatewayConfiguration(flow: flow, addresses: [:])
        #expect(try configuration.deploymentAddresses(of: flow.executors[0])
            == DeploymentAddresses(replicas: [.tcp(host: "10.0.0.5", port: 8081, tls: false), .tcp(host: "10.0.0.5", port: 8082, tls: false)]))
        #expect(try configuration.deploymentAddresses(of: flow.executors[1])
            == DeploymentAddresses(replicas: [.tcp(host: "example.com", port: 443, tls: true)]))
    }
}
