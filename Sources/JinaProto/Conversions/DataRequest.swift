public import JinaCore
public import SwiftProtobuf
#if canImport(FoundationEssentials)
import struct FoundationEssentials.Data
#else
import struct Foundation.Data
#endif

/// Reading and writing the parts of a `jina.DataRequestProto` that executors and gateways use,
/// in terms of `Document` and `JSONValue`.
extension Jina_DataRequestProto {
    /// The reserved endpoint that walks the graph without running any handler.
    public static let dryRunEndpoint = "_jina_dry_run_"
    /// The parameters key under which executors return results (`parameters["__results__"]`).
    public static let resultsKey = "__results__"

    /// A request for `endpoint` carrying `documents` and `parameters`, with a new request id
    /// unless one is given.
    public init(
        endpoint: String, documents: [Document] = [], parameters: [String: JSONValue]? = nil,
        requestID: String = Document.generateID()
    ) throws(DocumentError) {
        self.init()
        header.requestID = requestID
        header.execEndpoint = endpoint
        try setDocuments(documents)
        if let parameters { self.parameters = Google_Protobuf_Struct(json: parameters) }
    }

    /// `header.request_id`.
    public var requestID: String {
        get { header.requestID }
        set { header.requestID = newValue }
    }

    /// `header.exec_endpoint`; nil when unset.
    public var endpoint: String? {
        get { header.hasExecEndpoint ? header.execEndpoint : nil }
        set {
            if let newValue { header.execEndpoint = newValue } else { header.clearExecEndpoint() }
        }
    }

    /// `header.target_executor`; nil when unset.
    public var targetExecutor: String? {
        get { header.hasTargetExecutor ? header.targetExecutor : nil }
        set {
            if let newValue { header.targetExecutor = newValue } else { header.clearTargetExecutor() }
        }
    }

    /// The documents as a `DocListProto`, whichever of the `docs`/`docs_bytes` oneof carries
    /// them (`docs_bytes` is decoded); an empty list when there are none.
    public func documentList() throws(DocumentError) -> Docarray_DocListProto {
        switch data.documents {
        case .docs(let list)?: return list
        case .docsBytes(let bytes)?:
            do {
                return try Docarray_DocListProto(serializedBytes: bytes)
            } catch {
                throw DocumentError("docs_bytes is not a serialized DocListProto: \(error)", path: "docs")
            }
        case nil: return Docarray_DocListProto()
        }
    }

    /// The documents (see `documentList()`); errors name the document (`docs[3].embedding`).
    public func documents() throws(DocumentError) -> [Document] {
        try [Document](proto: documentList(), path: "docs")
    }

    /// Replaces the documents; they travel in `docs` (not `docs_bytes`).
    public mutating func setDocuments(_ documents: [Document]) throws(DocumentError) {
        data.docs = try documents.proto(path: "docs")
    }

    /// `parameters` as JSON members; empty when unset.
    public var parametersJSON: [String: JSONValue] {
        get { hasParameters ? parameters.jsonObject : [:] }
        set { parameters = Google_Protobuf_Struct(json: newValue) }
    }

    /// Whether `header.status` says the request failed.
    public var isError: Bool { header.status.code == .error }

    /// Marks the request failed, as Jina's `add_exception` does: `status.code = ERROR`, the
    /// description, and the exception's name, arguments and the executor it happened in.
    public mutating func setError(description: String, name: String, args: [String], executor: String) {
        header.status = Jina_StatusProto.error(description: description, name: name, args: args, executor: executor)
    }

    /// Appends this executor's entry to `routes`.
    public mutating func appendRoute(
        executor: String, start: Google_Protobuf_Timestamp, end: Google_Protobuf_Timestamp,
        status: Jina_StatusProto = Jina_StatusProto()
    ) {
        routes.append(Jina_RouteProto(executor: executor, start: start, end: end, status: status))
    }
}

extension Jina_RouteProto {
    /// An executor's entry in `routes`.
    public init(executor: String, start: Google_Protobuf_Timestamp, end: Google_Protobuf_Timestamp, status: Jina_StatusProto) {
        self.init()
        self.executor = executor
        startTime = start
        endTime = end
        self.status = status
    }
}

extension Jina_StatusProto {
    /// An ERROR status with its exception.
    public static func error(description: String, name: String, args: [String], executor: String) -> Self {
        var status = Jina_StatusProto()
        status.code = .error
        status.description_p = description
        status.exception.name = name
        status.exception.args = args
        status.exception.executor = executor
        return status
    }
}
