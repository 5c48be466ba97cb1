import Testing
@testable import JinaObservability

@Suite struct RequestTracingTests {
    @Test func theSampledFlagIsReadFromTraceparent() {
        #expect(RequestTracing.sampledFlag("00-5bd66ef5095369c7b0d1f8f4bd33716a-c532cb4098ac3dd2-01"))
        #expect(RequestTracing.sampledFlag("00-5bd66ef5095369c7b0d1f8f4bd33716a-c532cb4098ac3dd2-03"))
        #expect(!RequestTracing.sampledFlag("00-5bd66ef5095369c7b0d1f8f4bd33716a-c532cb4098ac3dd2-00"))
        #expect(!RequestTracing.sampledFlag("00-5bd66ef5095369c7b0d1f8f4bd33716a-c532cb4098ac3dd2-0x"))
        #expect(!RequestTracing.sampledFlag("garbage-01"))
        #expect(!RequestTracing.sampledFlag(""))
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
