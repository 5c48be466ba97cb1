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

    @Test("newlines at and around read-chunk boundaries are all found once, after a long line")
    func chunkBoundaries() throws {
        let chunk = 1 << 16
        let first = String(repeating: "a", count: chunk - 1)      // its \n is the chunk's last byte
        let second = String(repeating: "b", count: 3 * chunk - 1) // its \r\n straddles a boundary
        #expect(try lines(of: "\(first)\n\(second)\r\nc\n\nd") == [first, second, "c", "", "d"])
    }
}
