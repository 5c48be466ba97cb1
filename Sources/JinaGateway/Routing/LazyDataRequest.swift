public import JinaCore
public import JinaProto
import SwiftProtobuf
import struct Foundation.Data

/// A `jina.DataRequestProto` as the gateway handles it: header, parameters and routes decoded,
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
        guard !head.unknownFields.data.isEmpty else { return [] }
        let full: Jina_DataRequestProto
        do {
            full = try Jina_DataRequestProto(serializedBytes: head.unknownFields.data)
        } catch {
            throw DocumentError("the request's data is not a DataContentProto: \(error)", path: "data")
        }
        return try full.documents()
    }

    /// Replaces the documents; they travel in `docs`.
    public mutating func setDocuments(_ documents: [Document]) throws(DocumentError) {
        var carrier = Jina_DataRequestProto()
        try carrier.setDocuments(documents)
        do {
            let bytes: [UInt8] = try carrier.serializedBytes()
            head.unknownFields = try Jina_DataRequestProtoWoData(serializedBytes: bytes).unknownFields
        } catch {
            throw DocumentError("cannot encode the documents: \(error)", path: "data")
        }
    }

    /// `parameters` as JSON members; empty when unset.
    public var parametersJSON: [String: JSONValue] {
        get { head.hasParameters ? head.parameters.jsonObject : [:] }
        set { head.parameters = Google_Protobuf_Struct(json: newValue) }
    }

    /// Marks the request failed, as Jina's `add_exception` does.
    public mutating func setError(description: String, name: String, args: [String], executor: String) {
        head.header.status = Jina_StatusProto.error(description: description, name: name, args: args, executor: executor)
    }
}
