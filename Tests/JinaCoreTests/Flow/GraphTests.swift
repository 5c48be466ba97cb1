import JinaCore
import Testing

/// The topology: default chaining, explicit needs, merge points, floating executors, order.
@Suite struct GraphTests {
    @Test func defaultChain() throws {
        let graph = try validFlow("""
            jtype: Flow
            executors: [{name: a}, {name: b}, {name: c}]
            """).graph
        #expect(graph.nodes == ["a", "b", "c"])
        #expect(graph.needs(of: "a") == ["gateway"])
        #expect(graph.needs(of: "b") == ["a"])
        #expect(graph.needs(of: "c") == ["b"])
        #expect(graph.edges == [.init(from: "gateway", to: "a"), .init(from: "a", to: "b"), .init(from: "b", to: "c")])
        #expect(graph.topologicalOrder == ["a", "b", "c"])
        #expect(graph.gatewayInputs == ["c"])
        #expect(graph.mergePoints.isEmpty && graph.floating.isEmpty)
        #expect(graph.jinaGraphDescription == [
            "start-gateway": ["a"], "a": ["b"], "b": ["c"], "c": ["end-gateway"],
        ])
    }

    @Test func dagWithMergePoint() throws {
        let graph = try validFlow("""
            jtype: Flow
            executors:
              - name: splitter
              - name: left
                needs: splitter
              - name: right
                needs: splitter
              - name: merger
                needs: [left, right]
            """).graph
        #expect(graph.mergePoints == ["merger"])
        #expect(graph.needs(of: "merger") == ["left", "right"])
        #expect(graph.consumers(of: "splitter") == ["left", "right"])
        #expect(graph.topologicalOrder == ["splitter", "left", "right", "merger"])
        #expect(graph.gatewayInputs == ["merger"])
    }

    @Test func floatingExecutorIsSkippedByTheChain() throws {
        let flow = try validFlow("""
            jtype: Flow
            executors:
              - name: a
              - name: logger
                floating: true
              - name: b
            """)
        let graph = flow.graph
        #expect(graph.needs(of: "logger") == ["a"])
        #expect(graph.needs(of: "b") == ["a"], "the next executor attaches to the previous non-floating one")
        #expect(graph.floating == ["logger"])
        #expect(graph.gatewayInputs == ["b"], "a floating executor's output goes nowhere")
        #expect(graph.jinaGraphDescription["logger"] == [])
    }

    @Test func floatingFirstExecutorNeedsTheGateway() throws {
        let graph = try validFlow("""
            jtype: Flow
            executors:
              - {name: audit, floating: true}
              - {name: a}
            """).graph
        #expect(graph.needs(of: "audit") == ["gateway"])
        #expect(graph.needs(of: "a") == ["gateway"])
        #expect(graph.consumers(of: "gateway") == ["audit", "a"])
    }

    @Test func topologicalOrderIsStableInFileOrder() throws {
        let graph = try validFlow("""
            jtype: Flow
            executors:
              - name: late
                needs: [b, a]
              - name: a
                needs: gateway
              - name: b
                needs: a
              - name: side
                needs: gateway
            """).graph
        #expect(graph.topologicalOrder == ["a", "b", "late", "side"], "earliest ready executor in file order first")
        #expect(graph.gatewayInputs == ["late", "side"], "every leaf feeds the response, in file order")
        #expect(graph.mergePoints == ["late"])
    }

    @Test func explicitNeedsDoNotBreakTheChainForLaterEntries() throws {
        let graph = try validFlow("""
            jtype: Flow
            executors:
              - name: a
              - name: b
                needs: gateway
              - name: c
            """).graph
        #expect(graph.needs(of: "c") == ["b"])
        #expect(graph.gatewayInputs == ["a", "c"])
    }

    @Test func emptyFlowHasNoNodes() throws {
        let graph = try validFlow("jtype: Flow\nexecutors: []\n").graph
        #expect(graph.nodes.isEmpty && graph.topologicalOrder.isEmpty && graph.gatewayInputs.isEmpty)
        #expect(graph.jinaGraphDescription == ["start-gateway": []])
    }

    @Test func cyclesAreFoundWithoutRecursion() {
        let count = 20_000
        let names = (0..<count).map { "n\($0)" }
        var needs: [String: [String]] = [:]
        for index in 1..<count { needs[names[index]] = [names[index - 1]] }
        #expect(FlowGraph.cycles(nodes: names, needs: needs).isEmpty)
        needs[names[0]] = [names[count - 1]]
        let cycles = FlowGraph.cycles(nodes: names, needs: needs)
        #expect(cycles.count == 1)
        #expect(cycles.first?.first == "n0" && cycles.first?.count == count + 1)
    }

    @Test func cycleFollowsTheDataFlowFromTheFirstExecutor() {
        let cycles = FlowGraph.cycles(nodes: ["a", "b", "c", "d"], needs: ["a": ["c"], "b": ["a"], "c": ["b"], "d": ["d"]])
        #expect(cycles == [["a", "b", "c", "a"]], "self-loops are reported elsewhere")
    }
}

/// A Flow far larger than any real one still validates quickly (no quadratic step).
@Suite struct LargeFlowTests {
    @Test func thousandsOfExecutorsLoadQuickly() throws {
        let count = 3000
        var text = "jtype: Flow\nexecutors:\n"
        for index in 0..<count {
            text += "  - name: e\(index)\n"
            if index > 1, index % 3 == 0 { text += "    needs: [e\(index - 1), e\(index - 2)]\n" }
        }
        let start = ContinuousClock.now
        let flow = try validFlow(text)
        // Linear, not quadratic in the executors (room for a machine under contention).
        #expect(ContinuousClock.now - start < .seconds(30))
        #expect(flow.graph.topologicalOrder.count == count)
        #expect(flow.graph.topologicalOrder.first == "e0")
    }
}
