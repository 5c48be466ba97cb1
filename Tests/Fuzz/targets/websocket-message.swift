// libFuzzer target: one message of a WebSocket data connection as the gateway reads it before
// routing (WebSocketMessage): the first byte picks the sub-protocol — even: a binary message
// (`bytes`: a serialized DataRequestProto, refused when malformed or over max_documents), odd:
// a text message (`json`: the HTTP body plus execEndpoint) — and the limit on documents. Any
// message must become a request or a refusal, never trap; a refusal must be a readable reply
// (an ERROR DataRequestProto, or a JSON body with a status) and a request must serialize.
import JinaCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWebSocketMessage(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let limits = GatewayLimits(maxRequestBytes: 1 << 20, maxDocuments: Int((bytes[0] >> 1) % 8))
    let payload = Array(bytes.dropFirst())
    let decoded = bytes[0] & 1 == 0
        ? WebSocketMessage.decode(binary: payload, limits: limits)
        : WebSocketMessage.decode(text: String(decoding: payload, as: UTF8.self), limits: limits)
    switch decoded {
    case .request(let request):
        precondition((try? request.head.serializedBytes() as [UInt8]) != nil, "a request that does not serialize")
    case .refused(.binary(let reply)):
        let head = try? Jina_DataRequestProtoWoData(serializedBytes: reply)
        precondition(head?.header.status.code == .error, "a binary refusal that is not an ERROR reply")
    case .refused(.text(let body)):
        guard case .object(let members)? = try? JSONValue(parsing: Array(body.utf8)), members["status"] != nil else {
            preconditionFailure("a text refusal that is not a JSON body with a status: \(body)")
        }
    }
    return 0
}
