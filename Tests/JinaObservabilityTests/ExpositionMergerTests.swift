import Testing
@testable import JinaObservability

@Suite struct ExpositionMergerTests {
    @Test func addsLabelsAndKeepsOneHeaderPerFamily() {
        var merger = ExpositionMerger()
        let child = """
            # HELP jina_successful_requests_total Requests answered without an error
            # TYPE jina_successful_requests_total counter
            jina_successful_requests_total{runtime_name="a/rep-0"} 3
            # TYPE process_open_fds gauge
            process_open_fds 12

            """
        merger.add(child, labels: [("pod", "a/rep-0")])
        merger.add(child.replacingOccurrences(of: "a/rep-0", with: "b/rep-0"), labels: [("pod", "b/rep-0")])
        let lines = merger.text.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasPrefix("# TYPE jina_successful_requests_total") }.count == 1)
        #expect(lines.contains(#"jina_successful_requests_total{runtime_name="a/rep-0",pod="a/rep-0"} 3"#))
        #expect(lines.contains(#"jina_successful_requests_total{runtime_name="b/rep-0",pod="b/rep-0"} 3"#))
        #expect(lines.contains(#"process_open_fds{pod="b/rep-0"} 12"#))
    }

    @Test func histogramSamplesStayInTheirFamilyAndExistingLabelsWin() {
        var merger = ExpositionMerger()
        merger.add("""
            # TYPE x_seconds histogram
            x_seconds_bucket{le="0.5",pod="mine"} 1
            x_seconds_bucket{le="+Inf",pod="mine"} 2
            x_seconds_sum{pod="mine"} 0.75
            x_seconds_count{pod="mine"} 2
            """, labels: [("pod", "theirs"), ("replica", "0")])
        let text = merger.text
        #expect(text.hasPrefix("# TYPE x_seconds histogram\n"))
        #expect(text.contains(#"x_seconds_bucket{le="0.5",pod="mine",replica="0"} 1"#))
        #expect(text.contains(#"x_seconds_count{pod="mine",replica="0"} 2"#))
        #expect(!text.contains("theirs"))
    }

    @Test func quotedBracesInValuesAreNotTheEndOfTheLabelSet() {
        let line = ExpositionMerger.relabel(#"m{path="/a}b\"c"} 1"#, adding: [("pod", "p\"q")])
        #expect(line == #"m{path="/a}b\"c",pod="p\"q"} 1"#)
    }
}
