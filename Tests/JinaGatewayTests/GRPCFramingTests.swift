@testable import JinaGateway
import NIOCore
import Testing

@Suite("gRPC framing of the front door")
struct GRPCFramingTests {
    @Test("messages are cut out of DATA however it is split; a partial one waits")
    func reader() throws {
        var bytes = GRPCMessageReader.frame([1, 2, 3], allocator: ByteBufferAllocator())
        bytes.writeImmutableBuffer(GRPCMessageReader.frame([], allocator: ByteBufferAllocator()))
        bytes.writeImmutableBuffer(GRPCMessageReader.frame(Array(repeating: 9, count: 300), allocator: ByteBufferAllocator()))
        var reader = GRPCMessageReader(maxMessageBytes: 1000)
        var messages: [[UInt8]] = []
        for byte in bytes.readableBytesView {
            reader.append(ByteBuffer(bytes: [byte]))
            while let message = try reader.next() { messages.append(Array(message.readableBytesView)) }
        }
        #expect(messages == [[1, 2, 3], [], Array(repeating: 9, count: 300)])
        #expect(!reader.hasPartialMessage && !reader.hasWholeMessage)
        reader.append(ByteBuffer(bytes: [0, 0, 0, 0, 4, 7]))
        #expect(try reader.next() == nil)
        #expect(reader.hasPartialMessage)
    }

    @Test("a compressed message and one over the limit are refused from their prefix")
    func refusals() {
        var compressed = GRPCMessageReader(maxMessageBytes: 1000)
        compressed.append(ByteBuffer(bytes: [1, 0, 0, 0, 1, 5]))
        #expect(throws: GRPCMessageProblem.compressed) { try compressed.next() }
        var large = GRPCMessageReader(maxMessageBytes: 10)
        large.append(ByteBuffer(bytes: [0, 0, 0, 0, 11]))  // the body has not even arrived
        #expect(throws: GRPCMessageProblem.tooLarge(11)) { try large.next() }
    }

    @Test("grpc-message is percent-encoded; grpc-timeout units parse, bad ones are ignored")
    func headers() {
        #expect(GRPCHeaders.percentEncoded("plain text") == "plain text")
        #expect(GRPCHeaders.percentEncoded("50% ünï\n") == "50%25 %C3%BCn%C3%AF%0A")
        #expect(GRPCHeaders.timeout("1S") == .seconds(1))
        #expect(GRPCHeaders.timeout("250m") == .milliseconds(250))
        #expect(GRPCHeaders.timeout("7u") == .microseconds(7))
        #expect(GRPCHeaders.timeout("2H") == .seconds(7200))
        for bad in [nil, "", "S", "-1S", "12", "1x", "1234567890S"] {
            #expect(GRPCHeaders.timeout(bad) == nil, "\(bad ?? "nil")")
        }
        let trailers = GRPCHeaders.trailers(.unavailable, message: "down", metadata: [("is-error", "true")])
        #expect(trailers.first(name: "grpc-status") == "14")
        #expect(trailers.first(name: "grpc-message") == "down")
        #expect(trailers.first(name: "is-error") == "true")
        #expect(GRPCHeaders.trailersOnly(nil, message: "").first(name: ":status") == "200")
    }
}
