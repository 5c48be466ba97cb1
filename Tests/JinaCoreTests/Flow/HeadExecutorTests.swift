import JinaCore
import Testing

/// `uses_before` / `uses_after` (#15 item 4): classified like `uses`, in effect for sharded
/// executors only (a warning at the key otherwise), and turned into entries of their own.
@Suite("head executors in Flow YAML")
struct HeadExecutorTests {
    func lines(_ text: String) -> [String] {
        loadFlow("jtype: Flow\nexecutors:\n" + text, environment: [:]).diagnostics.items.map { item in
            "\(item.mark.map { "\($0.line):\($0.column)" } ?? "-") \(item.severity.rawValue): \(item.message)"
        }
    }

    @Test func shardedExecutorGetsItsHeadsAsEntriesOfTheirOwn() throws {
        let flow = try validFlow("""
            jtype: Flow
            executors:
              - name: idx
                uses: TextAppend
                uses_with: {text: "!"}
                shards: 3
                replicas: 2
                env: {A: "1"}
                uses_before: Identity
                uses_after: ./bin/merger
            """)
        let spec = flow.executors[0]
        #expect(spec.usesBefore == .builtin("Identity") && spec.usesAfter == .program(path: "./bin/merger"))
        let heads = flow.executorsWithHeads
        #expect(heads.map(\.name) == ["idx", "idx/uses_before-0", "idx/uses_after-0"])
        let after = heads[2]
        #expect(after.uses == .program(path: "./bin/merger") && after.usesWith.isEmpty)
        #expect(after.replicas == 1 && after.shards == 1 && after.env == ["A": "1"] && after.head(.before) == nil)
        #expect(ExecutorSpec.kubernetesName(after.name) == "idx-uses-after-0")
    }

    @Test func theHeadOfAnExternalExecutorIsStartedHere() throws {
        let flow = try validFlow("""
            jtype: Flow
            executors:
              - name: idx
                external: true
                host: 10.0.0.5
                port: [8080, 8081]
                shards: 2
                uses_after: Identity
            """)
        let head = try #require(flow.executors[0].head(.after))
        #expect(!head.external && head.ports.isEmpty && head.uses == .builtin("Identity"))
    }

    @Test func anAddressMeansNothingIsStarted() throws {
        let flow = try validFlow("""
            jtype: Flow
            executors:
              - name: idx
                shards: 2
                uses_after_address: merger:8080
            """)
        #expect(flow.executors[0].hasHead(.after) && flow.executors[0].head(.after) == nil)
        #expect(flow.executors[0].headAddress(.after) == "merger:8080")
        #expect(flow.executorsWithHeads.map(\.name) == ["idx"])
    }

    @Test func oneShardIsAWarningAndNoHead() throws {
        #expect(lines("  - name: one\n    uses_before: Identity\n") == [
            "4:18 warning: executor `one`: `uses_before` only applies to a sharded executor (shards > 1), as in Jina; it is ignored",
        ])
        let flow = try validFlow("jtype: Flow\nexecutors:\n  - name: one\n    uses_after: Identity\n")
        #expect(!flow.executors[0].hasHead(.after) && flow.executorsWithHeads.count == 1)
    }

    @Test func anUnknownHeadIsAnErrorAtItsValue() {
        #expect(lines("  - name: idx\n    shards: 2\n    uses_after: Identiti\n").contains {
            $0.hasPrefix("5:17 error: uses_after: unknown executor `Identiti`")
        })
        #expect(lines("  - name: idx\n    shards: 2\n    uses_before: jinaai://x\n").contains {
            $0.hasPrefix("5:18 error: uses_before:")
        })
    }
}
