import JinaProto
import NIOCore
import Testing

@Suite("Local wire frames")
struct LocalFrameCodecTests {
    static let frames: [LocalFrame] = [
        .hello(version: LocalFrame.version),
        .request(id: "r-1", metadata: ["traceparent": "00-abc-01", "x": ""], message: ByteBuffer(bytes: [1, 2, 3, 0, 255])),
        .request(id: "", metadata: [:], message: ByteBuffer()),
        .reply(id: "r-1~2", message: ByteBuffer(bytes: Array(repeating: 7, count: 70_000))),
        .failure(id: "r-1", .unavailable, message: "the executor is shutting down"),
        .failure(id: "r-2", .invalid, message: "ünïcode"),
        .cancel(id: "r-3"),
        .goAway,
    ]

    private func encode(_ frames: [LocalFrame]) throws -> ByteBuffer {
        var out = ByteBuffer()
        for frame in frames { try LocalFrameEncoder().encode(data: frame, out: &out) }
        return out
    }

    @Test("every frame kind survives encode → decode, also when the bytes come one at a time")
    func roundTrip() throws {
        let bytes = try encode(Self.frames)
        var decoder = LocalFrameDecoder()
        var whole = bytes
        var decoded: [LocalFrame] = []
        while let frame = try decoder.decode(buffer: &whole) { decoded.append(frame) }
        #expect(decoded == Self.frames)
        #expect(whole.readableBytes == 0)

        var trickle = ByteBuffer()
        var piecewise: [LocalFrame] = []
        for byte in bytes.readableBytesView {
            trickle.writeInteger(byte)
            while let frame = try decoder.decode(buffer: &trickle) { piecewise.append(frame) }
        }
        #expect(piecewise == Self.frames)
    }

    @Test("a length beyond the limit, a zero length, an unknown kind and a foreign hello are errors")
    func rejects() throws {
        /// A decoder that has read a hello.
        func greeted(maxFrameBytes: Int = LocalFrame.maxFrameBytes) throws -> LocalFrameDecoder {
            var decoder = LocalFrameDecoder(maxFrameBytes: maxFrameBytes)
            var hello = try encode([.hello(version: 1)])
            _ = try decoder.decode(buffer: &hello)
            return decoder
        }
        var small = try greeted(maxFrameBytes: 16)
        var big = try encode([.reply(id: "r", message: ByteBuffer(bytes: Array(repeating: 0, count: 64)))])
        #expect(throws: LocalFrameError.self) { try small.decode(buffer: &big) }

        for bytes: [UInt8] in [[0, 0, 0, 0], [0, 0, 0, 1, 99], [0, 0, 0, 3, 3, 0, 9]] {  // zero, unknown kind, id past the end
            var decoder = try greeted()
            var buffer = ByteBuffer(bytes: bytes)
            #expect(throws: LocalFrameError.self) { try decoder.decode(buffer: &buffer) }
        }
        // Before the hello: an HTTP/2 client preface, an HTTP/2 SETTINGS frame, or any other
        // frame is refused from its first bytes, without waiting for the length it seems to give.
        let foreign: [ByteBuffer] = [
            ByteBuffer(string: "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"),
            ByteBuffer(bytes: [0, 0, 18, 4, 0, 0, 0, 0, 0]),
            try encode([.goAway]),
        ]
        for var bytes in foreign {
            var decoder = LocalFrameDecoder()
            #expect(throws: LocalFrameError.self) { try decoder.decode(buffer: &bytes) }
        }
    }

    @Test("the local-wire socket sits beside the gRPC one, unless that path would be too long")
    func socketPath() {
        #expect(LocalFrame.socketPath(besides: "/tmp/r/a.sock") == "/tmp/r/a.sock.lw")
        #expect(LocalFrame.socketPath(besides: "/" + String(repeating: "x", count: 104)) == nil)
    }
}
