import JinaCore
import Testing

/// `uses_dynamic_batching` in Flow YAML: settings checked at their line and column (#15).
@Suite("validating uses_dynamic_batching")
struct DynamicBatchingValidationTests {
    func lines(_ text: String) -> [String] {
        loadFlow("jtype: Flow\nexecutors:\n" + text, environment: [:]).diagnostics.items.map { item in
            "\(item.mark.map { "\($0.line):\($0.column)" } ?? "-") \(item.severity.rawValue): \(item.message)"
                + (item.hint.map { " | \($0)" } ?? "")
        }
    }

    @Test func validSettingsReachTheSpecWithoutWarnings() throws {
        let flow = try validFlow("""
            jtype: Flow
            executors:
              - uses: TextAppend
                uses_dynamic_batching:
                  /a: {preferred_batch_size: 8, timeout: 20.5, flush_all: true, max_queue_documents: 100}
                  encode: {use_dynamic_batching: false}
            """)
        #expect(lines("  - uses: TextAppend\n    uses_dynamic_batching: {/a: {preferred_batch_size: 8}}\n") == [])
        let batching = flow.executors[0].dynamicBatching
        #expect(batching["/a"] == DynamicBatchingSettings(preferredBatchSize: 8, timeout: 20.5, flushAll: true, maxQueueDocuments: 100))
        #expect(batching["encode"] == DynamicBatchingSettings(enabled: false))
    }

    @Test func aWrongTypeIsAnErrorAtTheValue() {
        #expect(lines("  - uses: TextAppend\n    uses_dynamic_batching:\n      /a: {preferred_batch_size: 0}\n")
            == ["5:34 error: uses_dynamic_batching: `preferred_batch_size` of `/a`: expected an integer ≥ 1"])
        #expect(lines("  - uses: TextAppend\n    uses_dynamic_batching:\n      /a:\n        timeout: soon\n")
            == ["6:18 error: uses_dynamic_batching: `timeout` of `/a`: expected milliseconds, a number from 0 to 1e12"])
    }

    @Test func aMisspeltSettingGetsDidYouMean() {
        #expect(lines("  - uses: TextAppend\n    uses_dynamic_batching:\n      /a: {prefered_batch_size: 2}\n")
            == ["5:12 error: uses_dynamic_batching: unknown batching setting `prefered_batch_size` of `/a` | did you mean `preferred_batch_size`?"])
    }

    @Test func anEntryThatIsNotAMappingIsAnError() {
        let result = lines("  - uses: TextAppend\n    uses_dynamic_batching: {/a: 4}\n")
        #expect(result.count == 1 && result[0].contains("error:"), "\(result)")
    }

    @Test func aCustomMetricNeedsAPythonExecutor() {
        #expect(lines("  - uses: TextAppend\n    uses_dynamic_batching: {/a: {custom_metric: weigh}}\n")
            == ["4:34 error: uses_dynamic_batching: `custom_metric` needs a Python function; executor `executor0` is not a Python executor | a Swift executor weighs documents with DynamicBatching(customMetric:) on its endpoint"])
    }
}
