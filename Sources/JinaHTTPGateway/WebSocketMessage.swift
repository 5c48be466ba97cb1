import JinaCore
import JinaGateway
import JinaProto

/// What the WebSocket gateway makes of one client message before anything is routed: a request,
/// or the reply that refuses it. Binary messages (sub-protocol `bytes`) are serialized
/// `DataRequestProto`s, refused with an ERROR reply when malformed or over `max_documents`; text
/// messages (`json`) are the HTTP body plus `execEndpoint`, refused with the HTTP error body and
/// its status. Kept apart from the session so that it can be fuzzed on its own (scripts/fuzz.sh
/// `websocket-message`).
enum WebSocketMessage {
    enum Reply: Equatable {
        case binary([UInt8])
        case text(String)
    }

    enum Decoded {
        case request(LazyDataRequest)
        case refused(Reply)
    }

    static func decode(binary bytes: [UInt8], limits: GatewayLimits) -> Decoded {
        let request: LazyDataRequest
        do {
            request = LazyDataRequest(head: try Jina_DataRequestProtoWoData(serializedBytes: bytes))
        } catch {
            var reply = Jina_DataRequestProtoWoData()
            reply.header.status = .error(
                description: "the message is not a serialized DataRequestProto: \(error)",
                name: "BadRequest", args: ["malformed DataRequestProto"], executor: "gateway")
            return .refused(.binary((try? reply.serializedBytes()) ?? []))
        }
        if let rejected = limits.rejection(of: request) {
            return .refused(.binary((try? rejected.head.serializedBytes()) ?? []))
        }
        return .request(request)
    }

    static func decode(text: String, limits: GatewayLimits) -> Decoded {
        do {
            return .request(try JSONDataRequest.parse(Array(text.utf8), endpoint: nil, limits: limits))
        } catch {
            var body = error.json
            if case .object(var members) = body {
                members["status"] = .integer(error.status)
                body = .object(members)
            }
            return .refused(.text(body.serialized()))
        }
    }
}
