import Foundation
import JinaCore
import Testing

/// The typed spec: defaults, normalised values, and the example Flows of the repository.
@Suite struct SpecTests {
    @Test func defaultsAreJinas() throws {
        let flow = try validFlow("jtype: Flow\nexecutors:\n  - {}\n  - {}\n")
        let executor = flow.executors[0]
        #expect(flow.executors.map(\.name) == ["executor0", "executor1"])
        #expect(executor.nameMark == nil)
        #expect(executor.uses == .builtin("Identity"))
        #expect(executor.replicas == 1 && executor.shards == 1 && executor.polling == PollingSpec())
        #expect(executor.hosts == ["0.0.0.0"] && executor.ports.isEmpty)
        #expect(executor.timeoutReady == 600_000 && executor.readyTimeout == .milliseconds(600_000))
        #expect(executor.retries == -1 && executor.timeoutSend == nil && !executor.floating && !executor.external)
        #expect(flow.gateway.protocols == [.grpc] && flow.gateway.ports.isEmpty && flow.gateway.host == "0.0.0.0")
        #expect(flow.gateway.prefetch == 1000 && flow.gateway.retries == -1 && flow.gateway.replicas == 1)
        #expect(flow.version == "1" && flow.name == nil)
    }

    @Test func valuesAreNormalised() throws {
        let flow = try validFlow("""
            jtype: Flow
            gateway:
              protocols: [GRPC, http, WebSocket]
              ports: [1, 2, 3]
            executors:
              - name: index
                shards: 2
                polling: {/search: all, "*": ALL_ASYNC, /index: any}
                timeout_ready: -1
                gpus: 2
                when: {tags__k: {$eq: 1}}
              - name: remote
                external: true
                host: [10.0.0.1, 10.0.0.2]
                port: 9000
                tls: true
                grpc_metadata: {token: abc}
            """)
        #expect(flow.gateway.protocols == [.grpc, .http, .websocket] && flow.gateway.ports == [1, 2, 3])
        let index = flow.executors[0], remote = flow.executors[1]
        #expect(index.polling == PollingSpec(default: .allAsync, perEndpoint: ["/search": .all, "/index": .any]))
        #expect(index.polling.polling(for: "/search") == .all && index.polling.polling(for: "/other") == .allAsync)
        #expect(index.readyTimeout == nil)
        #expect(index.gpus == "2")
        #expect(index.when == .object(["tags__k": .object(["$eq": .int(1)])]))
        #expect(remote.hosts == ["10.0.0.1", "10.0.0.2"] && remote.ports == [9000] && remote.tls)
        #expect(remote.grpcMetadata == ["token": "abc"])
    }

    @Test func deploymentsIsAnotherNameForExecutors() throws {
        let flow = try validFlow("jtype: Flow\ndeployments:\n  - name: a\n")
        #expect(flow.executors.map(\.name) == ["a"])
    }

    @Test func nullMeansUnset() throws {
        let flow = try validFlow("jtype: Flow\nwith:\nexecutors:\n  - name: a\n    replicas:\n    needs:\n")
        #expect(flow.executors[0].replicas == 1 && flow.executors[0].needs == ["gateway"])
    }

    @Test func substitutedValuesAreTyped() throws {
        let flow = try validFlow("""
            jtype: Flow
            gateway:
              protocol: ${{ ENV.JINA_TEST_PROTOCOL }}
            executors:
              - name: ${{ ENV.JINA_TEST_NAME }}
                replicas: ${{ ENV.JINA_TEST_REPLICAS }}
                shards: ${{ ENV.JINA_TEST_UNSET:-3 }}
            """)
        #expect(flow.gateway.protocols == [.http])
        #expect(flow.executors[0].name == "from_env" && flow.executors[0].replicas == 2 && flow.executors[0].shards == 3)
    }

    @Test func problemsAreSortedByPosition() {
        let items = loadFlow("""
            jtype: Flow
            executors:
              - name: b
                needs: zz
                replicas: 0
              - name: a-b
            gateway:
              prefetchh: 1
            """).diagnostics.items
        let marks = items.compactMap(\.mark)
        #expect(marks.count == 4 && marks == marks.sorted())
    }

    @Test func flowEncodesAsJSON() throws {
        let flow = try validFlow("jtype: Flow\nexecutors:\n  - name: a\n    uses: TextAppend\n")
        let data = try JSONEncoder().encode(flow)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let executors = try #require(object["executors"] as? [[String: Any]])
        #expect(executors.first?["name"] as? String == "a")
        #expect((object["graph"] as? [String: Any])?["gatewayInputs"] as? [String] == ["a"])
    }

    /// Every example in `flows/` is valid without any environment variable set, and warning-free.
    @Test func repositoryExamplesAreValid() throws {
        let files = exampleFlows()
        #expect(!files.isEmpty)
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            let result = FlowLoader.load(text: text, file: file.lastPathComponent, environment: [:])
            #expect(result.flow != nil && result.diagnostics.items.isEmpty,
                    "\(file.lastPathComponent): \(renderedDiagnostics(result.diagnostics))")
        }
    }
}

/// `flows/*.yml` of the repository.
func exampleFlows() -> [URL] {
    let directory = repositoryRoot.appendingPathComponent("flows")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    return names.filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }.sorted().map { directory.appendingPathComponent($0) }
}
