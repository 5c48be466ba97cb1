public import JinaCore
import SwiftProtobuf

/// `Document` ⇄ `docarray.DocProto` and `[Document]` ⇄ `docarray.DocListProto`, lossless: every
/// field, empty ones and docarray type strings included (see `DocValue+Proto.swift`).
extension Document {
    /// Reads a document; `path` prefixes field names in errors.
    public init(proto: Docarray_DocProto, path: String = "") throws(DocumentError) {
        self.init(fields: try DocValue.entries(proto.data, path: path))
    }

    /// The document on the wire.
    public func proto(path: String = "") throws(DocumentError) -> Docarray_DocProto {
        var proto = Docarray_DocProto()
        proto.data = try DocValue.entriesProto(fields, path: path)
        return proto
    }
}

extension Array where Element == Document {
    /// Reads a document list; errors name the document by index below `path` (`docs[2].text`).
    public init(proto: Docarray_DocListProto, path: String = "") throws(DocumentError) {
        var documents: [Document] = []
        documents.reserveCapacity(proto.docs.count)
        for (index, doc) in proto.docs.enumerated() {
            documents.append(try Document(proto: doc, path: "\(path)[\(index)]"))
        }
        self = documents
    }

    /// The document list on the wire.
    public func proto(path: String = "") throws(DocumentError) -> Docarray_DocListProto {
        var list = Docarray_DocListProto()
        list.docs.reserveCapacity(count)
        for (index, document) in enumerated() {
            list.docs.append(try document.proto(path: "\(path)[\(index)]"))
        }
        return list
    }
}
