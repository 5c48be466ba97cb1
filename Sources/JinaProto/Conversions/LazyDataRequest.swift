public import JinaCore
public import SwiftProtobuf
import Synchronization
#if canImport(FoundationEssentials)
public import struct FoundationEssentials.Data
#else
public import struct Foundation.Data
#endif

/// A `jina.DataRequestProto` as the gateway and the executors handle it: header, parameters and routes decoded,
/// the documents (field 4, `data`) kept as the bytes they came in until someone needs them.
///
/// It is decoded as `DataRequestProtoWoData` (fields 1–3 of the same message), whose unknown
/// fields keep field 4 byte for byte and write it back unchanged. A request that passes through
/// a chain of executors is therefore never turned into `Document`s: only `when` filters, merge
/// points, shard reduce and documents without an id make the gateway read them.
public struct LazyDataRequest: Sendable, Equatable {
    /// Header, parameters and routes; `unknownFields` carries the encoded `data` field.
    public var head: Jina_DataRequestProtoWoData
    /// Why the gateway got no reply from an executor, on the ERROR reply the router makes for
    /// it (nil on everything else, executors' own errors included). Not part of the wire message.
    public var networkFailure: NetworkFailure?
    /// Why the gateway itself refused the request, on the ERROR reply it makes for it (nil on
    /// everything else). Not part of the wire message: front doors map it to their statuses.
    public var rejection: Rejection?

    /// A request the gateway refused before any executor saw it.
    public enum Rejection: Sendable, Equatable {
        /// Over `max_documents` (HTTP 413).
        case limitExceeded
        /// Its documents cannot be read (HTTP 422).
        case invalidDocuments
    }

    /// The router's reason for an `InternalNetworkError` reply.
    public enum NetworkFailure: Sendable, Equatable {
        /// No replica could be reached (after the retries).
        case unavailable
        /// The executor did not answer within `timeout_send`.
        case timeout
        /// The call broke in a way that is not the executor's error.
        case failed
        /// The request was cancelled (client gone, gateway draining).
        case cancelled
    }

    /// The parameters key under which executors return results (`parameters["__results__"]`).
    public static let resultsKey = Jina_DataRequestProto.resultsKey

    public init(head: Jina_DataRequestProtoWoData) {
        self.head = head
    }

    /// The same request from a fully decoded message.
    public init(_ request: Jina_DataRequestProto) throws {
        head = try Jina_DataRequestProtoWoData(serializedBytes: try request.serializedBytes() as [UInt8])
    }

    /// The fully decoded message (documents included).
    public func decoded() throws -> Jina_DataRequestProto {
        try Jina_DataRequestProto(serializedBytes: try head.serializedBytes() as [UInt8])
    }

    /// `header.request_id`.
    public var requestID: String {
        get { head.header.requestID }
        set { head.header.requestID = newValue }
    }

    /// `header.exec_endpoint`, or `/` when unset (what executors do with an unset endpoint).
    public var endpoint: String {
        head.header.hasExecEndpoint ? head.header.execEndpoint : "/"
    }

    /// Whether `header.status` says the request failed.
    public var isError: Bool { head.header.status.code == .error }

    /// The encoded `data` field (tag, length and `DataContentProto`), empty when there is none.
    public var encodedData: Data { head.unknownFields.data }

    /// The documents, decoded (from `docs` or `docs_bytes`); errors name the document.
    public func documents() throws(DocumentError) -> [Document] {
        try documents(batch: nil)
    }

    /// The documents, each marked as this request's (`Document.origin`), and what
    /// `setDocuments(_:reusing:)` needs to copy the ones that come back unchanged.
    public func documentsForReply() throws(DocumentError) -> (documents: [Document], source: DocumentSource) {
        let batch = DocumentSource.nextBatch()
        let documents = try documents(batch: batch)
        return (documents, DocumentSource(batch: batch, encodedData: head.unknownFields.data))
    }

    private func documents(batch: UInt64?) throws(DocumentError) -> [Document] {
        let data = head.unknownFields.data
        guard !data.isEmpty else { return [] }
        if let fast = data.withUnsafeBytes({ DocumentWireDecoder.documents(inDataField: $0, batch: batch) }) {
            return fast
        }
        // Not the plain shape (or not well-formed): SwiftProtobuf reads it, or says what is wrong.
        let full: Jina_DataRequestProto
        do {
            full = try Jina_DataRequestProto(serializedBytes: data)
        } catch {
            throw DocumentError("the request's data is not a DataContentProto: \(error)", path: "data")
        }
        return try full.documents()
    }

    /// Replaces the documents; they travel in `docs`.
    public mutating func setDocuments(_ documents: [Document]) throws(DocumentError) {
        try setDocuments(documents, reusing: nil)
    }

    /// Replaces the documents; those of `source` that are unchanged are copied from its bytes
    /// rather than encoded again.
    public mutating func setDocuments(_ documents: [Document], reusing source: DocumentSource?) throws(DocumentError) {
        let encoded: [UInt8]
        do {
            if let source, let ranges = source.ranges() {
                encoded = try source.encodedData.withUnsafeBytes { bytes throws(DocumentWireEncoder.Unencodable) in
                    try DocumentWireEncoder.dataField(
                        documents, reusing: DocumentWireEncoder.Source(batch: source.batch, bytes: bytes, ranges: ranges))
                }
            } else {
                encoded = try DocumentWireEncoder.dataField(documents)
            }
        } catch {
            // An integer beyond int32: the SwiftProtobuf path names the field in its error.
            var carrier = Jina_DataRequestProto()
            try carrier.setDocuments(documents)
            encoded = (try? carrier.serializedBytes()) ?? []
        }
        do {
            // `DataRequestProtoWoData` keeps field 4 as an unknown field, byte for byte.
            head.unknownFields = try Jina_DataRequestProtoWoData(serializedBytes: encoded).unknownFields
        } catch {
            throw DocumentError("cannot encode the documents: \(error)", path: "data")
        }
    }

    /// `parameters` as JSON members; empty when unset.
    public var parametersJSON: [String: JSONValue] {
        get { head.hasParameters ? head.parameters.jsonObject : [:] }
        set { head.parameters = Google_Protobuf_Struct(json: newValue) }
    }

    /// `header`.
    public var header: Jina_HeaderProto {
        get { head.header }
        set { head.header = newValue }
    }

    /// `routes`.
    public var routes: [Jina_RouteProto] {
        get { head.routes }
        set { head.routes = newValue }
    }

    /// Whether `parameters` is set.
    public var hasParameters: Bool { head.hasParameters }

    /// Appends an executor's entry to `routes`.
    public mutating func appendRoute(
        executor: String, start: Google_Protobuf_Timestamp, end: Google_Protobuf_Timestamp,
        status: Jina_StatusProto = Jina_StatusProto()
    ) {
        head.routes.append(Jina_RouteProto(executor: executor, start: start, end: end, status: status))
    }

    /// Marks the request failed, as Jina's `add_exception` does.
    public mutating func setError(description: String, name: String, args: [String], executor: String) {
        head.header.status = Jina_StatusProto.error(description: description, name: name, args: args, executor: executor)
    }
}

/// The encoded documents of a request, kept while a handler works on them: documents it does
/// not change are copied from here into the reply (`LazyDataRequest.setDocuments(_:reusing:)`).
public struct DocumentSource: Sendable {
    /// The number the documents' `origin` carries.
    let batch: UInt64
    /// The request's `data` field as it came.
    let encodedData: Data

    private static let counter = Atomic<UInt64>(0)

    static func nextBatch() -> UInt64 {
        counter.add(1, ordering: .relaxed).newValue
    }

    /// Where each document lies in `encodedData`; nil when it is not of the plain shape.
    func ranges() -> [Range<Int>]? {
        encodedData.withUnsafeBytes { DocumentWireDecoder.documentRanges(inDataField: $0) }
    }
}
