import Testing
@testable import JinaObservability

@Suite struct ProcessMetricsTests {
    @Test func readsThisProcessFromProc() {
        let metrics = ProcessMetrics.read()
        #expect(metrics.residentMemoryBytes > 1_000_000)
        #expect(metrics.virtualMemoryBytes >= metrics.residentMemoryBytes)
        #expect(metrics.openFileDescriptors >= 3)
        #expect(metrics.maxFileDescriptors >= metrics.openFileDescriptors)
        // Started after 2020 and not in the future.
        #expect(metrics.startTimeSeconds > 1_577_836_800)
        #expect(metrics.cpuSeconds >= 0)
    }

    @Test func statFieldsAreCountedAfterTheCommandName() throws {
        // A command name with spaces and a parenthesis, as `/proc/PID/stat` may show it.
        var line = "1234 (my (odd) prog) S"
        for field in 4...52 { line += " \(field)" }
        let fields = try #require(ProcessMetrics.StatFields(line))
        #expect(fields.userTicks == 14)
        #expect(fields.systemTicks == 15)
        #expect(fields.startTicks == 22)
        #expect(fields.virtualBytes == 23)
        #expect(fields.residentPages == 24)
    }

    @Test func expositionHasTheStandardNamesAndTypes() {
        let text = ProcessMetrics(cpuSeconds: 1.5, residentMemoryBytes: 1024, virtualMemoryBytes: 4096,
                                  startTimeSeconds: 1_700_000_000.25, openFileDescriptors: 7, maxFileDescriptors: 1024).exposition
        #expect(text.contains("# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total 1.5\n"))
        #expect(text.contains("# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes 1024\n"))
        #expect(text.contains("process_start_time_seconds 1700000000.25\n"))
        #expect(text.contains("process_open_fds 7\n"))
        #expect(text.contains("process_max_fds 1024\n"))
    }
}
