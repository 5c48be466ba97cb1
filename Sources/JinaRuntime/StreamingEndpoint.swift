public import JinaCore

/// How the runtime calls a streaming handler: with one document, its parameters, and `emit`,
/// which sends each produced document on its way (and waits while the reader is behind).
typealias DocumentStreamHandler = @Sendable (
    _ document: Document, _ parameters: JSONValue, _ emit: (Document) async throws -> Void
) async throws -> Void

extension Endpoint {
    /// Binds `name` (and any further names) to a streaming handler, Jina's generator endpoint
    /// (`@requests` on an `async def … yield`): it takes one document and produces documents as
    /// an `AsyncSequence`; each is sent to the client as soon as it is produced
    /// (`Client.stream_doc`, `JinaSingleDocumentRequestRPC/stream_doc`, HTTP server-sent events).
    ///
    /// ```swift
    /// Endpoint.streaming("/tokens") { document, _ in
    ///     AsyncStream { continuation in
    ///         for word in (document.text ?? "").split(separator: " ") {
    ///             continuation.yield(Document(text: String(word)))
    ///         }
    ///         continuation.finish()
    ///     }
    /// }
    /// ```
    ///
    /// A plain request (`Client.post`) to a streaming endpoint gets, for each of its documents in
    /// turn, every document the handler produces for it (Jina refuses such a request). A thrown
    /// error ends the stream with an error reply. Streaming endpoints are never batched.
    public static func streaming<Output: AsyncSequence>(
        _ name: String, _ moreNames: String...,
        handler: @escaping @Sendable (_ document: Document, _ parameters: JSONValue) async throws -> Output
    ) -> Endpoint where Output.Element == Document, Output: SendableMetatype, Output.AsyncIterator: SendableMetatype {
        let stream: DocumentStreamHandler = { document, parameters, emit in
            for try await produced in try await handler(document, parameters) { try await emit(produced) }
        }
        var endpoint = Endpoint(name) { documents, parameters in
            var produced: [Document] = []
            for document in documents {
                try await stream(document, parameters) { produced.append($0) }
            }
            documents = produced
        }
        endpoint.names += moreNames
        endpoint.streamHandler = stream
        return endpoint
    }

    /// Whether this endpoint streams (see `streaming`).
    public var isStreaming: Bool { streamHandler != nil }
}
