#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import GRPCCore
import NIOCore
import NIOPosix

/// Transport errors as readable text, for the client and the gateway alike.
public enum RPCErrorText {
    /// An error with its causes as one line, joined by `: `: a gRPC `RPCError` or
    /// `RuntimeError` gives its message and goes on to its cause; any other error is its
    /// description (a typed error's `description` is its summary), except socket errors, which
    /// read as the system says them ("Connection refused") rather than as NIO's debug text.
    /// Empty parts are left out.
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
            } else if let io = error as? IOError {
                parts.append(String(cString: strerror(io.errnoCode)))
                current = nil
            } else if let connect = error as? NIOConnectionError, let first = connect.connectionErrors.first {
                current = first.error
            } else {
                parts.append(String(describing: error))
                current = nil
            }
        }
        return parts.filter { !$0.isEmpty }.joined(separator: ": ")
    }
}
