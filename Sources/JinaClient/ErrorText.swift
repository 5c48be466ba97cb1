import GRPCCore
import JinaProto
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
        return .unreachable(target, RPCErrorText.describe(error))
    }
}
