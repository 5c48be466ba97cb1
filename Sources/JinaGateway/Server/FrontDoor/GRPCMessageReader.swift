import NIOCore

/// Why a gRPC stream's bytes cannot be read as messages.
enum GRPCMessageProblem: Error, Equatable {
    /// A message with the compressed flag (no `grpc-encoding` is accepted).
    case compressed
    /// A message larger than the limit.
    case tooLarge(Int)
}

/// Cuts the DATA of one gRPC stream into messages: each is a flag byte (0 = not compressed), a
/// big-endian `u32` length and that many bytes.
struct GRPCMessageReader {
    let maxMessageBytes: Int
    private var pending: ByteBuffer?

    init(maxMessageBytes: Int) {
        self.maxMessageBytes = maxMessageBytes
    }

    /// Whether bytes of a message not complete yet are held.
    var hasPartialMessage: Bool { (pending?.readableBytes ?? 0) > 0 && !hasWholeMessage }

    /// Whether a whole message is waiting to be taken.
    var hasWholeMessage: Bool {
        guard let buffer = pending, buffer.readableBytes >= 5,
              let length = buffer.getInteger(at: buffer.readerIndex + 1, as: UInt32.self) else { return false }
        return buffer.readableBytes >= 5 + Int(length)
    }

    mutating func append(_ bytes: ByteBuffer) {
        if pending == nil || pending!.readableBytes == 0 {
            pending = bytes
        } else {
            var bytes = bytes
            pending!.writeBuffer(&bytes)
        }
    }

    /// The next whole message, or nil until more bytes come.
    mutating func next() throws(GRPCMessageProblem) -> ByteBuffer? {
        guard var buffer = pending, buffer.readableBytes >= 5 else { return nil }
        let flag = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self)!
        let length = Int(buffer.getInteger(at: buffer.readerIndex + 1, as: UInt32.self)!)
        if flag != 0 { throw .compressed }
        if length > maxMessageBytes { throw .tooLarge(length) }
        guard buffer.readableBytes >= 5 + length else { return nil }
        buffer.moveReaderIndex(forwardBy: 5)
        let message = buffer.readSlice(length: length)!
        pending = buffer.readableBytes == 0 ? nil : buffer
        return message
    }

    /// `message` with its 5-byte prefix, as one buffer.
    static func frame(_ message: [UInt8], allocator: ByteBufferAllocator) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: message.count + 5)
        buffer.writeInteger(UInt8(0))
        buffer.writeInteger(UInt32(message.count))
        buffer.writeBytes(message)
        return buffer
    }
}
