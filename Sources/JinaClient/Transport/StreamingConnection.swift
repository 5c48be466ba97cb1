import JinaProto

/// A connection over one bidirectional stream of `DataRequestProto`s (gRPC `JinaRPC/Call`, the
/// WebSocket `bytes` sub-protocol): `send` queues the request on the stream and waits for the
/// reply with its id.
struct StreamingConnection: ClientConnection {
    let target: GatewayTarget
    let multiplexer: ReplyMultiplexer
    let outbound: AsyncStream<Jina_DataRequestProto>.Continuation

    func send(_ request: ClientRequest) async throws(ClientError) -> ClientReply {
        let proto = try request.proto()
        let reply: Jina_DataRequestProto
        do {
            reply = try await multiplexer.exchange(proto) { outbound.yield(proto) }
        } catch let error as ClientError {
            throw error
        } catch {
            throw ErrorText.clientError(error, target: target)
        }
        return try ClientReply(proto: reply)
    }

    /// Runs `body` with a connection whose stream `driver` carries: the driver writes what it
    /// reads from `outbound` and resolves every reply it receives. When `body` returns the stream
    /// is ended and the driver awaited; when it throws, the driver is cancelled.
    static func run<Result: Sendable>(
        target: GatewayTarget,
        driver: @escaping @Sendable (AsyncStream<Jina_DataRequestProto>, ReplyMultiplexer) async throws -> Void,
        body: (any ClientConnection) async throws -> Result
    ) async throws -> Result {
        let multiplexer = ReplyMultiplexer()
        let (stream, outbound) = AsyncStream.makeStream(of: Jina_DataRequestProto.self)
        let connection = StreamingConnection(target: target, multiplexer: multiplexer, outbound: outbound)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    try await driver(stream, multiplexer)
                    multiplexer.close(.unreachable(target, "the gateway ended the stream"))
                } catch let error as ClientError {
                    multiplexer.close(error)
                } catch {
                    multiplexer.close(ErrorText.clientError(error, target: target))
                }
            }
            do {
                let result = try await body(connection)
                outbound.finish()
                try await group.waitForAll()
                return result
            } catch {
                outbound.finish()
                group.cancelAll()
                throw error
            }
        }
    }
}
