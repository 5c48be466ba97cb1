import Testing
@testable import JinaObservability

@Suite struct RequestTracingTests {
    @Test func theSampledFlagIsReadFromAValidTraceparent() {
        let trace = "5bd66ef5095369c7b0d1f8f4bd33716a", span = "c532cb4098ac3dd2"
        #expect(RequestTracing.sampledFlag("00-\(trace)-\(span)-01") == true)
        #expect(RequestTracing.sampledFlag("00-\(trace)-\(span)-03") == true)
        #expect(RequestTracing.sampledFlag("00-\(trace)-\(span)-00") == false)
        // A later version may append fields; version 00 may not.
        #expect(RequestTracing.sampledFlag("01-\(trace)-\(span)-01-future") == true)
        #expect(RequestTracing.sampledFlag("00-\(trace)-\(span)-01-future") == nil)
        // Not valid: ignored (nil), so the ratio decides.
        for bad in ["00-\(trace)-\(span)-0x", "ff-\(trace)-\(span)-01", "00-\(String(repeating: "0", count: 32))-\(span)-01",
                    "00-\(trace)-0000000000000000-01", "00-\(trace.uppercased())-\(span)-01", "00_\(trace)-\(span)-01",
                    "garbage-01", "", String(repeating: "x", count: 60) + "-01"] {
            #expect(RequestTracing.sampledFlag(bad) == nil, "\(bad)")
        }
    }

    @Test func withTracingOffNothingIsTracedOrSent() async {
        #expect(!RequestTracing.isOn)
        #expect(RequestTracing.startSpan("/x", kind: .server) == nil)
        let headers = await RequestTracing.withIncoming({ $0 == "traceparent" ? "00-5bd66ef5095369c7b0d1f8f4bd33716a-c532cb4098ac3dd2-01" : nil }) {
            RequestTracing.outgoingHeaders()
        }
        #expect(headers == nil)
    }
}
