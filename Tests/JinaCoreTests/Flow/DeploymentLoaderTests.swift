import JinaCore
import Testing

/// `jtype: Deployment` read as the Flow it stands for (#15 item 3).
@Suite("Deployment YAML")
struct DeploymentLoaderTests {
    func load(_ text: String) -> DeploymentLoadResult {
        DeploymentLoader.load(text: text, file: "dep.yml", environment: ["P": "9000"])
    }

    @Test func theGatewayGetsPortProtocolAndHostTheExecutorTheRest() throws {
        let loaded = load("""
            jtype: Deployment
            with:
              uses: TextAppend
              uses_with: {text: "!"}
              replicas: 2
              shards: 2
              polling: ALL
              port: ['${{ ENV.P }}', 9001]
              protocol: [grpc, http]
            """)
        #expect(loaded.includeGateway)
        let flow = try #require(loaded.result.flow, "\(renderedDiagnostics(loaded.result.diagnostics))")
        #expect(flow.gateway.ports == [9000, 9001])
        #expect(flow.executors.count == 1)
        let executor = flow.executors[0]
        #expect(executor.name == "executor" && executor.uses == .builtin("TextAppend"))
        #expect(executor.replicas == 2 && executor.shards == 2 && executor.ports.isEmpty)
    }

    @Test func withoutTheGatewayPortAndHostAreTheExecutors() throws {
        let loaded = load("jtype: Deployment\nwith:\n  name: enc\n  uses: TextAppend\n  port: 7000\n  include_gateway: false\n")
        #expect(!loaded.includeGateway)
        let executor = try #require(loaded.result.flow?.executors.first)
        #expect(executor.name == "enc" && executor.ports == [7000])
    }

    @Test func problemsPointIntoTheFile() {
        let loaded = load("jtype: Deployment\nwith:\n  uses: TextAppend\n  replicas: zero\n  include_gateway: maybe\nexecutors: []\n")
        let lines = renderedDiagnostics(loaded.result.diagnostics)
        #expect(lines.contains("4:13: error: replicas"), "\(lines)")
        #expect(lines.contains("5:20: error: include_gateway: expected a boolean"), "\(lines)")
        #expect(lines.contains("6:1: error: unknown top-level key of a Deployment `executors`"), "\(lines)")
        #expect(loaded.result.flow == nil)
    }

    @Test func aDeploymentIsToldFromAFlow() {
        #expect(DeploymentLoader.isDeployment("jtype: Deployment\nwith: {uses: TextAppend}\n"))
        #expect(DeploymentLoader.isDeployment("!Deployment\nwith: {uses: TextAppend}\n"))
        #expect(!DeploymentLoader.isDeployment("jtype: Flow\nexecutors: []\n"))
        #expect(!DeploymentLoader.isDeployment("[unclosed"))
        // `jina flow` on a Deployment says what to run it with.
        let flow = loadFlow("jtype: Deployment\nwith: {uses: TextAppend}\n")
        #expect(flow.diagnostics.errors.first?.hint?.contains("jina deployment --uses FILE") == true)
    }
}
