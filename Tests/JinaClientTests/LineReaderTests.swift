import JinaClient
import Testing

@Suite("LineReader")
struct LineReaderTests {
    @Test("splits on \\n, drops a trailing \\r, keeps a last line without a newline")
    func splitting() throws {
        #expect(try lines(of: "a\nb\r\nc") == ["a", "b", "c"])
        #expect(try lines(of: "a\n\nb\n") == ["a", "", "b"])
        #expect(try lines(of: "") == [])
    }

    @Test("lines longer than one read chunk come out whole")
    func longLines() throws {
        let long = String(repeating: "x", count: 200_000)
        #expect(try lines(of: "\(long)\nshort\n\(long)") == [long, "short", long])
    }
}
