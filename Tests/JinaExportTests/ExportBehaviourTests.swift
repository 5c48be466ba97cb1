import JinaCore
import JinaExport
import JinaYAML
import Testing

/// Focused behaviours of the exporters (the golden files pin the whole output).
@Suite struct ExportBehaviourTests {
    static let sharded = """
        jtype: Flow
        with: {name: Search_App}
        executors:
          - name: idx
            uses: Identity
            shards: 2
            replicas: 3
          - name: remote
            external: true
            host: 10.1.2.3
            port: 4000
        """

    func documents(_ files: [KubernetesExport.File], kind: String) -> [YAMLMapping] {
        files.flatMap(\.documents).compactMap(\.mappingValue).filter { $0["kind"] == .string(kind) }
    }

    func name(_ object: YAMLMapping) -> String? {
        if case .string(let name)? = object["metadata"]?.mappingValue?["name"] { name } else { nil }
    }

    @Test func executorServicesAreHeadlessAndTheGatewayResolvesThemByDNS() throws {
        let loaded = try loadExportFlow(text: Self.sharded)
        let files = try KubernetesExport.files(flow: loaded.flow, options: loaded.options)
        #expect(files.map(\.name) == ["idx.yml", "gateway.yml"], "no file for the external executor")
        let services = documents(files, kind: "Service")
        for service in services where name(service)!.hasPrefix("idx") {
            #expect(service["spec"]?.mappingValue?["clusterIP"] == "None")
        }
        let deployments = documents(files, kind: "Deployment")
        #expect(deployments.compactMap(name) == ["idx-0", "idx-1", "gateway"])
        #expect(deployments[0]["spec"]?.mappingValue?["replicas"] == 3)
        let gatewayText = files.last!.text
        #expect(gatewayText.contains("- idx/0=dns://idx-0.search-app.svc:8080\n"))
        #expect(gatewayText.contains("- idx/1=dns://idx-1.search-app.svc:8080\n"))
        #expect(gatewayText.contains("- remote=grpc://10.1.2.3:4000\n"), "external executors: their Flow address")
        #expect(documents(files, kind: "Namespace").count == 2, "every file creates the namespace it uses")
    }

    /// Behind a tracing gateway executors start no traces of their own: ratio 0 in their flags,
    /// and (for Python Jina executors only) the sampler variables its worker reads.
    @Test func tracingAndMetricsReachExecutorContainers() throws {
        let loaded = try loadExportFlow(text: """
            jtype: Flow
            with:
              tracing: true
              traces_exporter_host: collector
              traces_sampling_ratio: 0.1
              metrics: true
            executors:
              - name: enc
            """)
        let files = try KubernetesExport.files(flow: loaded.flow, options: loaded.options)
        let executor = files[0].text
        #expect(executor.contains("- --tracing\n"))
        #expect(executor.contains("- http://collector\n") && executor.contains("- --traces-sampling-ratio\n        - '0.0'\n"))
        #expect(executor.contains("- --metrics\n") && executor.contains("- --metrics-exporter-port\n        - '4317'\n"))
        // The sampler variables are for Python Jina's worker only (swift-otel would sample twice).
        #expect(!executor.contains("OTEL_TRACES_SAMPLER"))
        // The gateway reads its own keys (ratio 0.1) from the Flow file it is given.
        #expect(loaded.flow.gateway.tracing?.samplingRatio == 0.1)
    }

    @Test func namespaceFlagWinsAndIsChecked() throws {
        let loaded = try loadExportFlow(text: Self.sharded)
        var options = loaded.options
        options.namespace = "prod"
        let files = try KubernetesExport.files(flow: loaded.flow, options: options)
        #expect(files[0].text.contains("namespace: prod\n"))
        options.namespace = "Not_Valid"
        #expect(throws: JinaError.self) { try KubernetesExport.files(flow: loaded.flow, options: options) }
    }

    @Test func programExecutorsNeedAnImage() throws {
        let loaded = try loadExportFlow(text: "jtype: Flow\nexecutors:\n  - name: mine\n    uses: ./bin/mine\n")
        do {
            _ = try KubernetesExport.files(flow: loaded.flow, options: loaded.options)
            Issue.record("a program path was exported")
        } catch {
            #expect(error.kind == .invalidInput)
            #expect(error.hint?.contains("docker://") == true)
        }
        #expect(throws: JinaError.self) {
            try ComposeExport.output(flow: loaded.flow, options: loaded.options, composeFileName: "c.yml")
        }
    }

    @Test func gpusMustBeACount() throws {
        let loaded = try loadExportFlow(text: "jtype: Flow\nexecutors:\n  - name: g\n    gpus: all\n")
        #expect(throws: JinaError.self) { try KubernetesExport.files(flow: loaded.flow, options: loaded.options) }
    }

    @Test func composeHasOneServicePerReplicaAndShardAndEscapesDollars() throws {
        let loaded = try loadExportFlow(text: """
            jtype: Flow
            with: {env: {PRICE: "$5"}}
            executors:
              - name: idx
                shards: 2
                replicas: 2
            """)
        let output = try ComposeExport.output(flow: loaded.flow, options: loaded.options, composeFileName: "out/app.yaml")
        #expect(output.flowFileName == "app.flow.yml")
        let services = try #require(output.compose.mappingValue?["services"]?.mappingValue)
        #expect(services.keys == ["idx-0-rep-0", "idx-0-rep-1", "idx-1-rep-0", "idx-1-rep-1", "gateway"])
        #expect(output.compose.mappingValue?["version"] == nil)
        let text = output.composeText
        #expect(text.contains("PRICE: $$5\n"))
        #expect(text.contains("- idx/1=grpc://idx-1-rep-0:8080,grpc://idx-1-rep-1:8080\n"))
        #expect(text.contains("      idx-1-rep-1:\n        condition: service_healthy\n"))
    }

    @Test func graphShowsWhenFloatingAndTheGatewayEnds() throws {
        let loaded = try loadExportFlow(text: """
            jtype: Flow
            executors:
              - name: a
              - name: end
                when: {tags__x: {$eq: 1}}
              - name: log
                needs: a
                floating: true
            """)
        let mermaid = GraphExport.render(loaded.flow, format: .mermaid)
        #expect(mermaid.hasPrefix("flowchart LR\n"))
        #expect(mermaid.contains("x_a -->|\"when {#quot;tags__x#quot;:{#quot;$eq#quot;:1}}\"| x_end"))
        #expect(mermaid.contains("x_a -.-> x_log"))
        #expect(mermaid.contains("x_end --> gateway_out"))
        #expect(!mermaid.contains("x_log --> gateway_out"))
        let dot = GraphExport.render(loaded.flow, format: .dot)
        #expect(dot.contains("\"a\" -> \"log\" [style=dashed];"))
    }
}
