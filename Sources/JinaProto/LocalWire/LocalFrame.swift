public import NIOCore

/// One frame of the local wire: the framed protocol our gateway and our executors speak over a
/// Unix socket when both ends offer it (decisions.md: gRPC stays the protocol to every other
/// peer). It carries what the gateway's hot path needs from `JinaRPC/Call` — requests and
/// replies correlated by id, a metadata map, per-request failure and cancellation, and the
/// executor's "no more requests" when it drains — without HTTP/2 framing or per-message task
/// hand-offs. Endpoint discovery, `_status` and health stay on gRPC.
///
/// On the socket every frame is `u32 length` (big-endian, of what follows) `u8 kind` and the
/// kind's fields; strings are UTF-8 behind a `u16` (ids, keys) or `u32` (values) length. See
/// docs/local-wire.md.
public enum LocalFrame: Sendable, Equatable {
    /// First frame each way: the sender's protocol version. The client sends it on connect; the
    /// executor answers with its own, or closes the connection when it cannot speak the client's.
    case hello(version: UInt16)
    /// A serialized `jina.DataRequestProto`, under an id unique on this connection.
    case request(id: String, metadata: [String: String], message: ByteBuffer)
    /// The reply to request `id`: a serialized `jina.DataRequestProto` (an executor's ERROR reply
    /// is a reply too).
    case reply(id: String, message: ByteBuffer)
    /// Request `id` got no reply (see `Failure`).
    case failure(id: String, Failure, message: String)
    /// The client gave up on request `id`: the executor stops working on it and sends nothing.
    case cancel(id: String)
    /// The executor is draining: it answers what it took and takes no more on this connection.
    case goAway

    /// Why a request got no reply.
    public enum Failure: UInt8, Sendable {
        /// The executor did not process it (draining): another replica may.
        case unavailable = 1
        /// The executor could not read it.
        case invalid = 2
    }

    /// The version this build speaks.
    public static let version: UInt16 = 1
    /// The first bytes of a `hello`, so a peer that is not ours is told apart at once.
    static let magic: [UInt8] = Array("JNAW".utf8)
    /// The size of a `hello` frame after its length: kind, magic, version.
    static let helloBytes = 1 + 4 + 2
    /// The largest frame either side accepts (as large as the gRPC hop allows a message).
    public static let maxFrameBytes = Int(Int32.max)

    enum Kind: UInt8 {
        case hello = 1, request, reply, failure, cancel, goAway
    }

    /// Where an executor listening on the Unix socket `path` offers the local wire; nil when that
    /// path would be too long for a socket (the executor then offers only gRPC).
    public static func socketPath(besides path: String) -> String? {
        let sibling = path + ".lw"
        return sibling.utf8.count <= 107 ? sibling : nil
    }
}
