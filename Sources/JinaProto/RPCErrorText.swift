import GRPCCore

/// Transport errors as readable text, for the client and the gateway alike.
public enum RPCErrorText {
    /// An error with its causes as one line, joined by `: `: a gRPC `RPCError` or
    /// `RuntimeError` gives its message and goes on to its cause; any other error is its
    /// description (a typed error's `description` is its summary). Empty parts are left out.
    public static func describe(_ error: any Error) -> String {
        var parts: [String] = []
        var current: (any Error)? = error
        while let error = current {
            if let rpc = error as? RPCError {
                parts.append(rpc.message)
                current = rpc.cause
            } else if let runtime = error as? RuntimeError {
                parts.append(runtime.message)
                current = runtime.cause
            } else {
                parts.append(String(describing: error))
                current = nil
            }
        }
        return parts.filter { !$0.isEmpty }.joined(separator: ": ")
    }
}
