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

    /// The system error number behind `error` (a socket error, however deeply gRPC wrapped it),
    /// nil when there is none: "address in use" is told by `EADDRINUSE`, not by message text.
    public static func errno(of error: any Error) -> Int32? {
        var current: (any Error)? = error
        while let error = current {
            if let io = error as? IOError { return io.errnoCode }
            if let rpc = error as? RPCError {
                current = rpc.cause
            } else if let runtime = error as? RuntimeError {
                current = runtime.cause
            } else if let connect = error as? NIOConnectionError, let first = connect.connectionErrors.first {
                current = first.error
            } else {
                current = nil
            }
        }
        return nil
    }

    /// Whether `error` is a bind that failed because the address is taken.
    public static func isAddressInUse(_ error: any Error) -> Bool {
        errno(of: error) == EADDRINUSE
    }
}
