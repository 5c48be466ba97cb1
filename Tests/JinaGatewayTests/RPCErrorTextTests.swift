import GRPCCore
import JinaClient
import JinaCore
import JinaProto
import Testing

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
}
