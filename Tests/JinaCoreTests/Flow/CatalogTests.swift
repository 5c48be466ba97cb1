import JinaCore
import Testing

/// `uses` forms and the built-in executor catalogue.
@Suite struct CatalogTests {
    @Test func catalogueListsIdentityAndTextAppend() throws {
        #expect(BuiltinExecutorCatalog.all.map(\.name) == ["Identity", "TextAppend", "VectorIndex", "OnnxEncoder", "ImageEncoder", "TextEncoder"])
        #expect(BuiltinExecutorCatalog.lookup("BaseExecutor")?.name == "Identity")
        let text = try #require(BuiltinExecutorCatalog.lookup("TextAppend")?.parameter("text"))
        #expect(text.type == .string && text.defaultValue == .string(""))
        #expect(BuiltinExecutorCatalog.lookup("textappend") == nil, "class names are case-sensitive")
    }

    @Test func usesFormsAreClassified() throws {
        let flow = try validFlow("""
            jtype: Flow
            executors:
              - name: plain
              - name: base
                uses: BaseExecutor
              - name: program
                uses: ./bin/my-executor
              - name: config
                uses: executors/encoder.yaml
              - name: image
                uses: docker://registry.local/encoder:1.2
              - name: append
                uses: TextAppend
                uses_with: {text: "!"}
            """)
        #expect(flow.executors.map(\.uses) == [
            .builtin("Identity"), .builtin("Identity"), .program(path: "./bin/my-executor"),
            .config(path: "executors/encoder.yaml"), .docker(image: "registry.local/encoder:1.2"), .builtin("TextAppend"),
        ])
        #expect(flow.executors[5].usesWith == ["text": .string("!")])
    }

    @Test func unknownBuiltinSuggestsTheClosestName() {
        let errors = loadFlow("jtype: Flow\nexecutors:\n  - uses: Identiy\n").diagnostics.errors
        #expect(errors.map(\.message) == ["uses: unknown executor `Identiy`"])
        #expect(errors.first?.hint == "did you mean `Identity`?")
        #expect(errors.first?.mark?.line == 3 && errors.first?.mark?.column == 11)
    }

    @Test func usesWithOfABuiltinIsChecked() {
        let errors = loadFlow("""
            jtype: Flow
            executors:
              - uses: TextAppend
                uses_with: {text: true, prefix: x}
            """).diagnostics.errors
        #expect(errors.map(\.message) == [
            "uses_with.text: expected a string, got the boolean true",
            "uses_with: `TextAppend` has no parameter `prefix`",
        ])
    }

    @Test func aParameterWithChoicesTakesOnlyThoseWords() {
        let errors = loadFlow("""
            jtype: Flow
            executors:
              - uses: ImageEncoder
                uses_with: {pooling: avg, layout: nhwc}
              - uses: VectorIndex
                uses_with: {dim: 8, metric: euclid}
            """).diagnostics.errors
        #expect(errors.count == 2)
        #expect(errors.first?.message.hasPrefix("uses_with.pooling: expected one of none, mean, cls") == true)
        #expect(errors.first?.mark?.line == 4)
        #expect(errors.last?.message.hasPrefix("uses_with.metric: expected one of cosine, dot, l2") == true)
    }

    @Test func customProgramsTakeAnyArguments() throws {
        let flow = try validFlow("""
            jtype: Flow
            executors:
              - uses: ./encoder
                uses_with: {model: small, layers: 3}
            """)
        #expect(flow.executors[0].usesWith == ["model": .string("small"), "layers": .int(3)])
    }

    @Test func hubReferencesAreParsedSandboxesRefusedAndAClassWithModulesIsPython() throws {
        #expect(errorMessages("jtype: Flow\nexecutors:\n  - uses: jinaai+sandbox://x/y\n").count == 1)
        #expect(errorMessages("jtype: Flow\nexecutors:\n  - uses: jinaai://x\n").count == 1)
        let hub = try validFlow("jtype: Flow\nexecutors:\n  - uses: jinaai://team/Enc:1.0\n  - uses: jinahub://Indexer/v2\n")
        #expect(hub.executors[0].uses == .hub(HubReference(namespace: "team", name: "Enc", tag: "1.0")))
        #expect(hub.executors[1].uses == .hub(HubReference(namespace: "jinahub", name: "Indexer", tag: "v2")))
        let python = try validFlow("jtype: Flow\nexecutors:\n  - uses: MyExec\n    py_modules: [a.py]\n")
        #expect(python.executors[0].uses == .python(className: "MyExec"))
        #expect(python.executors[0].pyModules == ["a.py"])
        // A built-in name stays built-in even with modules in effect (from `with:` here).
        let builtin = try validFlow("jtype: Flow\nwith: {py_modules: a.py}\nexecutors:\n  - uses: Identity\n  - uses: Mine\n")
        #expect(builtin.executors.map(\.uses) == [.builtin("Identity"), .python(className: "Mine")])
        #expect(builtin.executors[1].pyModules == ["a.py"])
        // Without modules an unknown name is still an error.
        #expect(errorMessages("jtype: Flow\nexecutors:\n  - uses: Mine\n") == ["uses: unknown executor `Mine`"])
    }
}

@Suite("VectorIndex in a Flow")
struct VectorIndexFlowTests {
    @Test func itNeedsDimAndCannotHaveReplicas() {
        #expect(errorMessages("jtype: Flow\nexecutors:\n  - name: idx\n    uses: VectorIndex\n")
                == ["executor `idx`: VectorIndex needs `dim`, the length of the embeddings"])
        #expect(errorMessages("jtype: Flow\nexecutors:\n  - name: idx\n    uses: VectorIndex\n    uses_with: {dim: null}\n")
                == ["executor `idx`: VectorIndex needs `dim`, the length of the embeddings"])
        let replicated = errorMessages("jtype: Flow\nexecutors:\n  - name: idx\n    uses: VectorIndex\n    uses_with: {dim: 4}\n    replicas: 2\n")
        #expect(replicated.count == 1 && replicated[0].hasPrefix("executor `idx`: a VectorIndex cannot have replicas (2)"))
    }

    @Test func shardsStoreOnOneAndAskAllUnlessTheFlowSaysOtherwise() throws {
        let flow = try validFlow("jtype: Flow\nexecutors:\n  - uses: VectorIndex\n    uses_with: {dim: 4}\n    shards: 2\n  - uses: VectorIndex\n    uses_with: {dim: 4}\n    polling: ANY\n")
        #expect(flow.executors[0].polling == PollingSpec(default: .all, perEndpoint: ["/index": .any]))
        #expect(flow.executors[1].polling == PollingSpec(default: .any))
    }
}
