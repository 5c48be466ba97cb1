import JinaCore
import JinaProto

extension ClientRequest {
    /// The request on the wire (gRPC and WebSocket `bytes`).
    func proto() throws(ClientError) -> Jina_DataRequestProto {
        do {
            var proto = try Jina_DataRequestProto(endpoint: endpoint, documents: documents, parameters: parameters, requestID: requestID)
            proto.targetExecutor = targetExecutor
            return proto
        } catch {
            throw ClientError(.invalidInput, "request \(requestID): \(error)")
        }
    }
}

extension ClientReply {
    /// Reads a reply; an error status becomes `ClientError.requestFailed` naming the executor.
    init(proto: Jina_DataRequestProto) throws(ClientError) {
        if proto.isError {
            let status = proto.header.status
            let executor = status.exception.executor
            var message = status.description_p
            if message.isEmpty { message = status.exception.name.isEmpty ? "unknown error" : status.exception.name }
            throw .requestFailed(requestID: proto.requestID, executor: executor.isEmpty ? nil : executor, message: message)
        }
        do {
            let results = proto.parametersJSON[Jina_DataRequestProto.resultsKey]?.objectValue ?? [:]
            self.init(requestID: proto.requestID, documents: try proto.documents(), results: results)
        } catch {
            throw ClientError(.runtime, "request \(proto.requestID): the reply's documents are malformed: \(error)", requestID: proto.requestID)
        }
    }
}
