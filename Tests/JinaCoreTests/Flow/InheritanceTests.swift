import JinaCore
import Testing

/// `with:` inheritance as Jina does it (jina-reference §2.2, decisions.md).
@Suite struct InheritanceTests {
    @Test func commonKeysReachGatewayAndExecutorsThatDoNotSetThem() throws {
        let flow = try validFlow("""
            jtype: Flow
            with:
              replicas: 2
              monitoring: true
              timeout_send: 100
              retries: 3
            executors:
              - name: a
              - name: b
                replicas: 1
            """)
        #expect(flow.gateway.replicas == 2)
        #expect(flow.gateway.monitoring)
        #expect(flow.gateway.timeoutSend == 100)
        #expect(flow.gateway.retries == 3)
        let a = try #require(flow.executor(named: "a")), b = try #require(flow.executor(named: "b"))
        #expect(a.replicas == 2 && a.monitoring && a.timeoutSend == 100 && a.retries == 3)
        #expect(b.replicas == 1, "an executor's own value wins")
        #expect(a.marks.values["replicas"]?.line == 3, "an inherited value points into `with:`")
        #expect(b.marks.values["replicas"]?.line == 10)
    }

    @Test func portsProtocolsAndMonitoringPortGoToTheGatewayOnly() throws {
        let flow = try validFlow("""
            jtype: Flow
            with:
              protocol: http
              port: 12345
              port_monitoring: 9090
              monitoring: true
            executors:
              - name: a
            """)
        #expect(flow.gateway.protocols == [.http])
        #expect(flow.gateway.ports == [12345])
        #expect(flow.gateway.portMonitoring == 9090)
        let a = try #require(flow.executors.first)
        #expect(a.ports.isEmpty)
        #expect(a.portMonitoring == nil)
        #expect(a.monitoring, "monitoring itself is inherited")
    }

    @Test func usesWithUnderWithReachesNobodyAndWarns() throws {
        let result = loadFlow("""
            jtype: Flow
            with:
              uses_with: {text: x}
            executors:
              - name: a
                uses: TextAppend
            """)
        let flow = try #require(result.flow)
        #expect(flow.executors[0].usesWith.isEmpty)
        #expect(result.diagnostics.warnings.map(\.message) == ["accepted but not used by this version: uses_with"])
    }

    @Test func gatewaySectionOverridesWith() throws {
        let flow = try validFlow("""
            jtype: Flow
            with:
              prefetch: 10
              cors: true
            gateway:
              prefetch: 20
            """)
        #expect(flow.gateway.prefetch == 20)
        #expect(flow.gateway.cors)
        #expect(flow.executors.isEmpty)
    }

    @Test func executorOnlyKeysDoNotTroubleTheGateway() throws {
        let flow = try validFlow("""
            jtype: Flow
            with:
              shards: 2
              polling: ALL
            executors:
              - name: a
              - name: b
                shards: 1
            """)
        #expect(flow.executors[0].shards == 2)
        #expect(flow.executors[0].polling.default == .all)
        #expect(flow.executors[1].shards == 1)
        #expect(flow.executors[1].polling.default == .all)
    }

    @Test func flowOwnKeysStayWithTheFlow() throws {
        let flow = try validFlow("""
            jtype: Flow
            with:
              name: shop
              env: {LEVEL: debug, WORKERS: 4}
            executors:
              - name: a
                env: {LEVEL: info}
              - name: b
            """)
        #expect(flow.name == "shop")
        #expect(flow.settings.env == ["LEVEL": "debug", "WORKERS": "4"])
        #expect(flow.executors[0].env == ["LEVEL": "info"])
        #expect(flow.environment(of: flow.executors[0]) == ["LEVEL": "info", "WORKERS": "4"])
        #expect(flow.environment(of: flow.executors[1]) == ["LEVEL": "debug", "WORKERS": "4"])
        #expect(flow.executors.map(\.name) == ["a", "b"], "`with: name` names the Flow, not executors")
    }

    @Test func commonKeyTypedForTheGatewayIsCheckedAgainstIt() {
        let result = loadFlow("""
            jtype: Flow
            with:
              host: [10.0.0.1, 10.0.0.2]
            """)
        #expect(result.diagnostics.errors.map(\.message) == ["host: expected a string, got a list"])
        #expect(result.diagnostics.errors.first?.mark?.line == 3)
    }

    @Test func floatingUnderWithMakesEveryExecutorFloating() throws {
        let flow = try validFlow("""
            jtype: Flow
            with:
              floating: true
            executors:
              - name: a
              - name: b
            """)
        #expect(flow.graph.floating == ["a", "b"])
        #expect(flow.graph.gatewayInputs.isEmpty)
        #expect(flow.executors[1].needs == ["gateway"])
    }

    @Test func inheritanceTablesFollowJina() {
        for key in ["port", "ports", "port_monitoring", "uses", "uses_with", "protocol", "protocols"] {
            #expect(!FlowKeys.executorsInherit(key), "\(key)")
        }
        #expect(!FlowKeys.gatewayInherits("uses") && !FlowKeys.gatewayInherits("uses_with"))
        #expect(FlowKeys.gatewayInherits("port") && FlowKeys.gatewayInherits("replicas"))
        #expect(!FlowKeys.gatewayInherits("shards"), "the gateway has no shards")
        #expect(FlowKeys.executorsInherit("replicas") && FlowKeys.executorsInherit("env_from_secret"))
    }
}
