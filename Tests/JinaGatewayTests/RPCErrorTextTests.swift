import GRPCCore
import JinaClient
import JinaCore
import JinaProto
import NIOCore
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("RPCErrorText")
struct RPCErrorTextTests {
    struct Plain: Error, CustomStringConvertible {
        var description: String { "connection refused" }
    }

    @Test("a gRPC error and its causes as one line; empty messages left out; a ClientError is its summary")
    func chain() {
        let inner = RuntimeError(code: .transportError, message: "", cause: Plain())
        let outer = RPCError(code: .unavailable, message: "could not connect", cause: inner)
        #expect(RPCErrorText.describe(outer) == "could not connect: connection refused")
        #expect(RPCErrorText.describe(ClientError(.runtime, "gone", hint: "retry")) == "gone")
    }

    @Test("a socket error reads as the system says it, also as the cause of a gRPC error")
    func socketErrors() {
        let refused = IOError(errnoCode: ECONNREFUSED, reason: "connection reset (error set)")
        #expect(RPCErrorText.describe(refused) == "Connection refused")
        let outer = RPCError(code: .unavailable, message: "could not connect", cause: refused)
        #expect(RPCErrorText.describe(outer) == "could not connect: Connection refused")
    }
}
