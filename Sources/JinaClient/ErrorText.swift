import GRPCCore
import WSClient

/// Turns transport errors into short readable text (gRPC errors with their causes) and into
/// `ClientError`s.
enum ErrorText {
    /// The error and its causes, joined by `: `.
    static func describe(_ error: any Error) -> String {
        var parts: [String] = []
        var current: (any Error)? = error
        while let error = current {
            if let rpc = error as? RPCError {
                parts.append(rpc.message)
                current = rpc.cause
            } else if let runtime = error as? RuntimeError {
                parts.append(runtime.message)
                current = runtime.cause
            } else if let client = error as? ClientError {
                parts.append(client.summary)
                current = nil
            } else {
                parts.append(String(describing: error))
                current = nil
            }
        }
        return parts.filter { !$0.isEmpty }.joined(separator: ": ")
    }

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
        return .unreachable(target, describe(error))
    }
}
