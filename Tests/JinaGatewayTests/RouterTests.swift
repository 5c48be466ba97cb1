import JinaCore
@testable import JinaGateway
import JinaProto
import SwiftProtobuf
import Testing

@Suite("RequestRouter with in-process executors")
struct RouterTests {
    static let chain = """
        jtype: Flow
        executors:
          - name: a
          - name: b
          - name: c
        """

    @Test("a chain runs every executor in order; routes start with the gateway; the request id is kept")
    func chainRunsInOrder() async throws {
        let router = try RequestRouter(flow: loadFlow(Self.chain), callers: [
            "a": [[FakeReplica("a", appending: "A")]],
            "b": [[FakeReplica("b", appending: "B")]],
            "c": [[FakeReplica("c", appending: "C")]],
        ], logger: quietLogger())
        let reply = await router.route(try makeRequest(["x", nil]))
        #expect(reply.texts == ["xABC", "ABC"])
        #expect(reply.routeNames == ["gateway", "a", "b", "c"])
        #expect(reply.requestID == "req-1")
        #expect(reply.head.header.status.code == .success)
        let gateway = reply.head.routes[0]
        #expect(gateway.hasStartTime && gateway.hasEndTime)
        #expect((gateway.startTime.seconds, gateway.startTime.nanos) <= (gateway.endTime.seconds, gateway.endTime.nanos))
    }

    @Test("a request without an id gets one; documents without an id get one, others keep theirs")
    func idsAreGiven() async throws {
        let a = FakeReplica("a", appending: "")
        let router = try RequestRouter(flow: loadFlow("jtype: Flow\nexecutors:\n  - name: a\n"), callers: ["a": [[a]]], logger: quietLogger())
        var proto = try Jina_DataRequestProto(
            endpoint: "/", documents: [Document(id: "keep", text: "1"), Document(text: "2")], requestID: "")
        proto.requestID = ""
        let reply = await router.route(try LazyDataRequest(proto))
        #expect(reply.requestID.count == 32)
        let ids = try reply.documents().map(\.id)
        #expect(ids[0] == "keep")
        #expect(ids[1]?.count == 32)
        #expect(try a.received[0].documents()[1].id == ids[1])
    }

    @Test("documents that all have ids pass the gateway as the bytes they came in")
    func fastPathKeepsBytes() async throws {
        let request = try makeRequest(["x", "y"])
        let a = FakeReplica("a", .answer { _, _ in })
        let router = try RequestRouter(flow: loadFlow("jtype: Flow\nexecutors:\n  - name: a\n"), callers: ["a": [[a]]], logger: quietLogger())
        _ = await router.route(request)
        #expect(a.received[0].encodedData == request.encodedData)
    }

    @Test("a DAG merges at the merge point by id in `needs` order, not in completion order")
    func dagMergeOrder() async throws {
        let flow = try loadFlow("""
            jtype: Flow
            executors:
              - name: splitter
              - name: left
                needs: splitter
              - name: right
                needs: splitter
              - name: merger
                needs: [left, right]
            """)
        let merger = FakeReplica("merger", appending: "|M")
        let router = try RequestRouter(flow: flow, callers: [
            "splitter": [[FakeReplica("splitter", appending: "|S")]],
            // `left` answers last, yet `right` (later in `needs`) still wins the text.
            "left": [[FakeReplica("left", .answerAfter(.milliseconds(50)) { document, _ in
                document.text = (document.text ?? "") + "|L"
                document.tags = (document.tags ?? [:]).merging(["left": true]) { $1 }
            })]],
            "right": [[FakeReplica("right", .answer { document, _ in
                document.text = (document.text ?? "") + "|R"
                document.tags = (document.tags ?? [:]).merging(["right": true]) { $1 }
            })]],
            "merger": [[merger]],
        ], logger: quietLogger())
        let reply = await router.route(try makeRequest(["x", "y"]))
        #expect(reply.texts == ["x|S|R|M", "y|S|R|M"])
        let merged = try merger.received[0].documents()
        #expect(merged.count == 2)
        #expect(merged[0].tags == ["left": true, "right": true])
        #expect(reply.routeNames == ["gateway", "splitter", "left", "right", "merger"])
    }

    @Test("target_executor runs only the matching executors (re.match); the others pass their input on")
    func targetExecutor() async throws {
        let a = FakeReplica("a", appending: "A"), b = FakeReplica("b", appending: "B"), c = FakeReplica("c", appending: "C")
        let router = try RequestRouter(flow: loadFlow(Self.chain), callers: ["a": [[a]], "b": [[b]], "c": [[c]]], logger: quietLogger())
        #expect(await router.route(try makeRequest(target: "b")).texts == ["xB"])
        #expect(a.callCount == 0 && c.callCount == 0)
        #expect(await router.route(try makeRequest(target: "a|c")).texts == ["xAC"])
        #expect(await router.route(try makeRequest(target: "nothing")).texts == ["x"])
        // A pattern that backtracks exponentially in `re` is answered at once (no executor matches).
        #expect(await router.route(try makeRequest(target: "((.|.)*)*z")).texts == ["x"])
        #expect(await router.route(try makeRequest(target: "(?:a|b)$")).texts == ["xAB"])
        #expect(b.callCount == 2)
    }

    @Test("when: each branch gets only the documents it matches; a document matching none is dropped at the merge")
    func whenBranches() async throws {
        let flow = try loadFlow("""
            jtype: Flow
            executors:
              - name: start
              - name: only_a
                needs: start
                when:
                  tags__category: {$eq: A}
              - name: only_b
                needs: start
                when:
                  tags__category: {$eq: B}
              - name: joiner
                needs: [only_a, only_b]
            """)
        let onlyA = FakeReplica("only_a", appending: "|A")
        let router = try RequestRouter(flow: flow, callers: [
            "start": [[FakeReplica("start", appending: "")]],
            "only_a": [[onlyA]],
            "only_b": [[FakeReplica("only_b", appending: "|B")]],
            "joiner": [[FakeReplica("joiner", appending: "|J")]],
        ], logger: quietLogger())
        let reply = await router.route(try makeRequest(
            ["a", "b", "c"], tags: [["category": "A"], ["category": "B"], ["category": "C"]]))
        #expect(try reply.documents().map(\.id) == ["d0", "d1"])
        #expect(reply.texts == ["a|A|J", "b|B|J"])
        #expect(try onlyA.received[0].documents().map(\.id) == ["d0"])
    }

    static let sharded = """
        jtype: Flow
        executors:
          - name: indexer
            shards: 2
            polling:
              /search: ALL
              "*": ANY
        """

    @Test("polling ANY sends each request to one shard, round-robin")
    func pollingAny() async throws {
        let s0 = FakeReplica("indexer", address: "s0", appending: "0"), s1 = FakeReplica("indexer", address: "s1", appending: "1")
        let router = try RequestRouter(flow: loadFlow(Self.sharded), callers: ["indexer": [[s0], [s1]]], logger: quietLogger())
        var texts: [String?] = []
        for _ in 0..<4 { texts += await router.route(try makeRequest(endpoint: "/index")).texts }
        #expect(s0.callCount == 2 && s1.callCount == 2)
        #expect(Set(texts.compactMap { $0 }) == ["x0", "x1"])
    }

    @Test("polling ALL (per endpoint) sends to every shard and reduces: tags merged, matches sorted by score, top_k")
    func pollingAllReduces() async throws {
        func shard(_ number: Int, matches: [(String, Double)]) -> FakeReplica {
            FakeReplica("indexer", address: "s\(number)", .answer { document, _ in
                document.tags = (document.tags ?? [:]).merging(["shard\(number)": true]) { $1 }
                document.matches = matches.map { Document(id: $0.0, scores: ["cosine": .float($0.1)]) }
            })
        }
        let s0 = shard(0, matches: [("m1", 0.5), ("m2", 0.9)]), s1 = shard(1, matches: [("m3", 0.7)])
        let router = try RequestRouter(flow: loadFlow(Self.sharded), callers: ["indexer": [[s0], [s1]]], logger: quietLogger())

        let all = try await router.route(try makeRequest(endpoint: "/search")).documents()
        #expect(s0.callCount == 1 && s1.callCount == 1)
        #expect(all.count == 1)
        #expect(all[0].tags == ["shard0": true, "shard1": true])
        #expect(all[0].matches?.map(\.id) == ["m2", "m3", "m1"])

        let cut = try await router.route(try makeRequest(endpoint: "/search", parameters: ["top_k": 2])).documents()
        #expect(cut[0].matches?.map(\.id) == ["m2", "m3"])

        _ = await router.route(try makeRequest(endpoint: "/index"))
        #expect(s0.callCount + s1.callCount == 5)
    }

    @Test("replicas are balanced: sequential requests use every replica in turn")
    func replicasBalanced() async throws {
        let replicas = (0..<3).map { FakeReplica("enc", address: "r\($0)", appending: "") }
        let router = try RequestRouter(flow: loadFlow("jtype: Flow\nexecutors:\n  - name: enc\n    replicas: 3\n"),
                                       callers: ["enc": [replicas]], logger: quietLogger())
        for _ in 0..<6 { _ = await router.route(try makeRequest()) }
        #expect(replicas.map(\.callCount) == [2, 2, 2])
    }

    @Test("a replica that is unreachable is skipped: the request fails over to another replica")
    func failover() async throws {
        let down = FakeReplica("enc", address: "down", .unavailable), up = FakeReplica("enc", address: "up", appending: "!")
        let router = try RequestRouter(flow: loadFlow("jtype: Flow\nexecutors:\n  - name: enc\n    replicas: 2\n"),
                                       callers: ["enc": [[down, up]]], logger: quietLogger())
        for _ in 0..<4 {
            let reply = await router.route(try makeRequest())
            #expect(reply.head.header.status.code == .success)
            #expect(reply.texts == ["x!"])
        }
        #expect(up.callCount == 4)
    }

    @Test("when every replica is unreachable the reply is an error naming the executor, after max(3, replicas) attempts")
    func allReplicasDown() async throws {
        let r0 = FakeReplica("enc", address: "grpc://h0:1", .unavailable), r1 = FakeReplica("enc", address: "grpc://h1:1", .unavailable)
        let next = FakeReplica("next", appending: "")
        let router = try RequestRouter(flow: loadFlow("jtype: Flow\nexecutors:\n  - name: enc\n    replicas: 2\n  - name: next\n"),
                                       callers: ["enc": [[r0, r1]], "next": [[next]]], logger: quietLogger())
        let reply = await router.route(try makeRequest(id: "lost-1"))
        let status = reply.head.header.status
        #expect(status.code == .error)
        #expect(status.exception.name == "InternalNetworkError")
        #expect(status.exception.executor == "enc")
        #expect(status.description_p.contains("executor `enc`"))
        #expect(status.description_p.contains("lost-1"))
        #expect(r0.callCount + r1.callCount == 3)
        // The third attempt (second round) waits for a replica to come back.
        #expect((r0.readyWaits + r1.readyWaits).compactMap { $0 }.count == 1)
        #expect(next.callCount == 0)
        #expect(reply.requestID == "lost-1")
    }

    @Test("an executor's ERROR reply stops the walk and is returned as it is")
    func errorReplyStops() async throws {
        let c = FakeReplica("c", appending: "C")
        let router = try RequestRouter(flow: loadFlow(Self.chain), callers: [
            "a": [[FakeReplica("a", appending: "A")]],
            "b": [[FakeReplica("b", .errorReply("handler failed"))]],
            "c": [[c]],
        ], logger: quietLogger())
        let reply = await router.route(try makeRequest())
        #expect(reply.head.header.status.code == .error)
        #expect(reply.head.header.status.exception.name == "Boom")
        #expect(reply.head.header.status.exception.args == ["handler failed"])
        #expect(reply.routeNames == ["gateway", "a", "b"])
        #expect(c.callCount == 0)
    }

    @Test("an ERROR reply in one branch of a DAG stops the walk too")
    func errorInBranch() async throws {
        let flow = try loadFlow("""
            jtype: Flow
            executors:
              - name: left
              - name: right
                needs: gateway
              - name: merger
                needs: [left, right]
            """)
        let merger = FakeReplica("merger", appending: "")
        let router = try RequestRouter(flow: flow, callers: [
            "left": [[FakeReplica("left", .answerAfter(.milliseconds(20)) { _, _ in })]],
            "right": [[FakeReplica("right", .errorReply("no"))]],
            "merger": [[merger]],
        ], logger: quietLogger())
        let reply = await router.route(try makeRequest())
        #expect(reply.head.header.status.code == .error)
        #expect(merger.callCount == 0)
    }

    @Test("timeout_send: an executor that does not answer in time gives an error naming it and the request")
    func timeoutNamesExecutor() async throws {
        let flow = try loadFlow("jtype: Flow\nexecutors:\n  - name: slow\n    timeout_send: 100\n")
        let router = try RequestRouter(flow: flow, callers: ["slow": [[FakeReplica("slow", .hang)]]], logger: quietLogger())
        let started = ContinuousClock.now
        let reply = await router.route(try makeRequest(id: "late-7"))
        // Not a timing test: the bound only tells "answered" from "hung" (under CPU contention
        // the 100 ms answer took 9 s once; scripts/hang-hunt.sh, issue #16).
        #expect(ContinuousClock.now - started < .seconds(60))
        let status = reply.head.header.status
        #expect(status.code == .error)
        #expect(status.exception.executor == "slow")
        #expect(status.description_p.contains("executor `slow`"))
        #expect(status.description_p.contains("late-7"))
        #expect(status.description_p.contains("100ms"))
    }

    @Test("a frozen replica: its timed-out request is retried on the other replica and it leaves the rotation")
    func frozenReplicaIsRetriedAndPaused() async throws {
        let frozen = FakeReplica("enc", address: "frozen", .hang)
        let healthy = FakeReplica("enc", address: "healthy", appending: "!")
        let flow = try loadFlow("jtype: Flow\nexecutors:\n  - name: enc\n    replicas: 2\n    timeout_send: 100\n")
        let router = try RequestRouter(flow: flow, callers: ["enc": [[frozen, healthy]]], logger: quietLogger())
        for index in 0..<10 {
            let reply = await router.route(try makeRequest(id: "r\(index)"))
            #expect(reply.head.header.status.code == .success, "request r\(index): \(reply.head.header.status.description_p)")
            #expect(reply.texts == ["x!"])
        }
        // One timeout took the frozen replica out of rotation (for 2 s): it saw one request only.
        #expect(frozen.callCount == 1)
        #expect(healthy.callCount == 10)
    }

    @Test("retry_on_timeout: false keeps a timed-out request from running again elsewhere")
    func noRetryOnTimeout() async throws {
        let frozen = FakeReplica("enc", address: "frozen", .hang)
        let healthy = FakeReplica("enc", address: "healthy", appending: "!")
        let flow = try loadFlow("jtype: Flow\nexecutors:\n  - name: enc\n    replicas: 2\n    timeout_send: 100\n    retry_on_timeout: false\n")
        let router = try RequestRouter(flow: flow, callers: ["enc": [[frozen, healthy]]], logger: quietLogger())
        var failed = 0
        for index in 0..<4 {
            let reply = await router.route(try makeRequest(id: "r\(index)"))
            if reply.head.header.status.code == .error {
                failed += 1
                #expect(reply.head.header.status.description_p.contains("100ms"))
            }
        }
        // The request that met the frozen replica failed; the paused replica got no more.
        #expect(failed == 1 && frozen.callCount == 1 && healthy.callCount == 3)
    }

    @Test("parameters pass through; `name__key` reaches only that executor, as `key`")
    func executorSpecificParameters() async throws {
        let a = FakeReplica("a", appending: ""), b = FakeReplica("b", appending: "")
        let router = try RequestRouter(flow: loadFlow("jtype: Flow\nexecutors:\n  - name: a\n  - name: b\n"),
                                       callers: ["a": [[a]], "b": [[b]]], logger: quietLogger())
        _ = await router.route(try makeRequest(parameters: ["p": 1, "b__k": "only-b"]))
        #expect(a.received[0].parametersJSON == ["p": .number(1)])
        #expect(b.received[0].parametersJSON == ["p": .number(1), "k": .string("only-b")])
    }

    @Test("a floating executor runs, but its output does not reach the reply")
    func floating() async throws {
        let flow = try loadFlow("""
            jtype: Flow
            executors:
              - name: main
              - name: audit
                needs: gateway
                floating: true
            """)
        let audit = FakeReplica("audit", appending: "AUDIT")
        let router = try RequestRouter(flow: flow, callers: [
            "main": [[FakeReplica("main", appending: "M")]], "audit": [[audit]],
        ], logger: quietLogger())
        let reply = await router.route(try makeRequest())
        #expect(reply.texts == ["xM"])
        #expect(!reply.routeNames.contains("audit"))
        #expect(audit.callCount == 1)
    }

    @Test("several executors feeding the end are reduced into the reply")
    func severalLeaves() async throws {
        let flow = try loadFlow("jtype: Flow\nexecutors:\n  - name: p\n  - name: q\n    needs: gateway\n")
        let router = try RequestRouter(flow: flow, callers: [
            "p": [[FakeReplica("p", .answer { d, _ in d.tags = ["p": true] })]],
            "q": [[FakeReplica("q", .answer { d, _ in d.tags = ["q": true] })]],
        ], logger: quietLogger())
        let reply = await router.route(try makeRequest())
        #expect(try reply.documents().first?.tags == ["p": true, "q": true])
        #expect(reply.routeNames == ["gateway", "p", "q"])
    }

    @Test("a Flow without executors echoes the request")
    func emptyFlow() async throws {
        let router = try RequestRouter(flow: loadFlow("jtype: Flow\nexecutors: []\n"), callers: [:], logger: quietLogger())
        let reply = await router.route(try makeRequest(["hi"]))
        #expect(reply.texts == ["hi"])
        #expect(reply.routeNames == ["gateway"])
    }

    @Test("a dry run walks every executor and reports SUCCESS, or the failing executor")
    func dryRun() async throws {
        let b = FakeReplica("b", appending: "")
        let router = try RequestRouter(flow: loadFlow(Self.chain), callers: [
            "a": [[FakeReplica("a", appending: "")]], "b": [[b]], "c": [[FakeReplica("c", appending: "")]],
        ], logger: quietLogger())
        #expect(await router.dryRun().code == .success)
        #expect(b.received.last?.endpoint == "_jina_dry_run_")
        b.behavior = .unavailable
        let failed = await router.dryRun()
        #expect(failed.code == .error)
        #expect(failed.exception.executor == "b")
    }

    @Test("an executor without an address is refused, naming it")
    func missingAddress() throws {
        #expect(throws: GatewayError.self) {
            try RequestRouter(flow: loadFlow(Self.chain), callers: ["a": [[FakeReplica("a", appending: "")]]], logger: quietLogger())
        }
    }
}
