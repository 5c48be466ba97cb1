public import NIOCore

/// Why bytes on the local wire are not a frame; the connection is closed.
public struct LocalFrameError: Error, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// Splits the byte stream of a local-wire connection into `LocalFrame`s.
public struct LocalFrameDecoder: NIOSingleStepByteToMessageDecoder {
    public typealias InboundOut = LocalFrame

    private let maxFrameBytes: Int
    /// The first frame must be a (short) `hello`: a peer that speaks something else is found
    /// out from its first bytes instead of being waited for.
    private var greeted = false

    public init(maxFrameBytes: Int = LocalFrame.maxFrameBytes) {
        self.maxFrameBytes = maxFrameBytes
    }

    public mutating func decode(buffer: inout ByteBuffer) throws -> LocalFrame? {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self) else { return nil }
        let limit = greeted ? maxFrameBytes : LocalFrame.helloBytes
        guard length >= 1, Int(length) <= limit else {
            throw LocalFrameError(greeted
                ? "a frame of \(length) bytes is outside 1...\(maxFrameBytes)"
                : "the peer does not speak the local wire")
        }
        guard buffer.readableBytes >= 4 + Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: 4)
        var frame = buffer.readSlice(length: Int(length))!
        let parsed = try Self.parse(&frame)
        if !greeted {
            guard case .hello = parsed else { throw LocalFrameError("the peer does not speak the local wire") }
            greeted = true
        }
        return parsed
    }

    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> LocalFrame? {
        try decode(buffer: &buffer)
    }

    static func parse(_ frame: inout ByteBuffer) throws -> LocalFrame {
        let rawKind = frame.readInteger(as: UInt8.self)!
        guard let kind = LocalFrame.Kind(rawValue: rawKind) else {
            throw LocalFrameError("unknown frame kind \(rawKind)")
        }
        switch kind {
        case .hello:
            guard frame.readBytes(length: 4) == LocalFrame.magic, let version = frame.readInteger(as: UInt16.self) else {
                throw LocalFrameError("the peer does not speak the local wire")
            }
            return .hello(version: version)
        case .request:
            let id = try readString(&frame, lengthBytes: 2)
            guard let count = frame.readInteger(as: UInt16.self) else { throw truncated }
            var metadata: [String: String] = [:]
            for _ in 0..<count {
                let key = try readString(&frame, lengthBytes: 2)
                metadata[key] = try readString(&frame, lengthBytes: 4)
            }
            return .request(id: id, metadata: metadata, message: frame)
        case .reply:
            return .reply(id: try readString(&frame, lengthBytes: 2), message: frame)
        case .failure:
            let id = try readString(&frame, lengthBytes: 2)
            guard let raw = frame.readInteger(as: UInt8.self) else { throw truncated }
            let reason = LocalFrame.Failure(rawValue: raw) ?? .invalid
            return .failure(id: id, reason, message: frame.readString(length: frame.readableBytes) ?? "")
        case .cancel:
            return .cancel(id: try readString(&frame, lengthBytes: 2))
        case .goAway:
            return .goAway
        }
    }

    private static var truncated: LocalFrameError { LocalFrameError("a frame ended early") }

    private static func readString(_ frame: inout ByteBuffer, lengthBytes: Int) throws -> String {
        let length: Int?
        if lengthBytes == 2 {
            length = frame.readInteger(as: UInt16.self).map(Int.init)
        } else {
            length = frame.readInteger(as: UInt32.self).map(Int.init)
        }
        guard let length, let string = frame.readString(length: length) else { throw truncated }
        return string
    }
}

/// Writes `LocalFrame`s with their length prefix.
public struct LocalFrameEncoder: MessageToByteEncoder {
    public typealias OutboundIn = LocalFrame

    public init() {}

    public func encode(data frame: LocalFrame, out: inout ByteBuffer) throws {
        let start = out.writerIndex
        out.writeInteger(UInt32(0))
        switch frame {
        case .hello(let version):
            out.writeInteger(LocalFrame.Kind.hello.rawValue)
            out.writeBytes(LocalFrame.magic)
            out.writeInteger(version)
        case .request(let id, let metadata, var message):
            out.writeInteger(LocalFrame.Kind.request.rawValue)
            try Self.write(id, lengthBytes: 2, to: &out)
            out.writeInteger(UInt16(clamping: metadata.count))
            for (key, value) in metadata.prefix(Int(UInt16.max)) {
                try Self.write(key, lengthBytes: 2, to: &out)
                try Self.write(value, lengthBytes: 4, to: &out)
            }
            out.writeBuffer(&message)
        case .reply(let id, var message):
            out.writeInteger(LocalFrame.Kind.reply.rawValue)
            try Self.write(id, lengthBytes: 2, to: &out)
            out.writeBuffer(&message)
        case .failure(let id, let reason, let message):
            out.writeInteger(LocalFrame.Kind.failure.rawValue)
            try Self.write(id, lengthBytes: 2, to: &out)
            out.writeInteger(reason.rawValue)
            out.writeString(message)
        case .cancel(let id):
            out.writeInteger(LocalFrame.Kind.cancel.rawValue)
            try Self.write(id, lengthBytes: 2, to: &out)
        case .goAway:
            out.writeInteger(LocalFrame.Kind.goAway.rawValue)
        }
        let length = out.writerIndex - start - 4
        guard length <= LocalFrame.maxFrameBytes else {
            out.moveWriterIndex(to: start)
            throw LocalFrameError("a frame of \(length) bytes is larger than \(LocalFrame.maxFrameBytes)")
        }
        out.setInteger(UInt32(length), at: start)
    }

    private static func write(_ string: String, lengthBytes: Int, to out: inout ByteBuffer) throws {
        let count = string.utf8.count
        if lengthBytes == 2 {
            guard count <= Int(UInt16.max) else { throw LocalFrameError("an id or key of \(count) bytes is too long") }
            out.writeInteger(UInt16(count))
        } else {
            out.writeInteger(UInt32(clamping: count))
        }
        out.writeString(string)
    }
}
