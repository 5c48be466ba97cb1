@testable import JinaClient
import Testing

@Suite("HTTP client deadlines")
struct HTTPClientDeadlineTests {
    @Test("a timeout too long for nanoseconds saturates to the distant future instead of trapping")
    func saturates() {
        let limit = UInt64(Int64.max)
        #expect(HTTPClientTransport.deadlineNanoseconds(after: .seconds(Int64.max), now: 5) == limit)
        #expect(HTTPClientTransport.deadlineNanoseconds(after: .seconds(Int64.max / 1_000_000_000), now: 1 << 62) == limit)
        #expect(HTTPClientTransport.deadlineNanoseconds(after: .seconds(1), now: limit - 10) == limit)
    }

    @Test("an ordinary timeout is that far from now; a negative one is now")
    func ordinary() {
        #expect(HTTPClientTransport.deadlineNanoseconds(after: .milliseconds(1500), now: 1000) == 1_500_001_000)
        #expect(HTTPClientTransport.deadlineNanoseconds(after: .seconds(-3), now: 1000) == 1000)
    }
}
