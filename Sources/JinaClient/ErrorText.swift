import GRPCCore
import JinaProto
import NIOHTTP1
import WSClient

/// Turns transport errors into `ClientError`s (their text: `RPCErrorText.describe`).
enum ErrorText {
    /// A transport failure as a `ClientError`: unauthenticated when the gateway said so, else
    /// unreachable.
    static func clientError(_ error: any Error, target: GatewayTarget) -> ClientError {
        if let client = error as? ClientError { return client }
        if let rpc = error as? RPCError, rpc.code == .unauthenticated {
            return .unauthenticated(target, rpc.message)
        }
        if let webSocket = error as? WebSocketClientError, webSocket == .webSocketUpgradeFailed {
            return ClientError(.runtime, "\(target) refused the WebSocket upgrade",
                               hint: "a gateway that demands a token refuses the upgrade without one (--token or --token-env NAME); check the address and protocol")
        }
        if error is HTTPParserError {
            // NIO's parser names the byte it choked on ("invalid constant string"): say what it means.
            return .unreachable(target, "the server did not answer in HTTP/1.1 (is that a gRPC port? use grpc://)")
        }
        return .unreachable(target, RPCErrorText.describe(error))
    }
}
