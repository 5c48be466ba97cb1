// libFuzzer target: the direct wire codec of documents (scripts/fuzz.sh document-wire), checked
// against SwiftProtobuf, differentially. The input is a request's `data` field as
// `DataRequestProtoWoData` keeps it. Whenever the fast decoder (DocumentWireDecoder) takes the
// bytes, its documents must equal what SwiftProtobuf's path reads from them; the fast encoder's
// bytes for those documents must read back to the same documents, whether every document is
// encoded again or copied from the input (the executor's reply path). A disagreement traps,
// which libFuzzer reports as a finding. Documents are compared by their deterministic
// protobuf bytes, so that a NaN equals the same NaN.
import JinaCore
import SwiftProtobuf
import struct Foundation.Data

private func same(_ lhs: [Document], _ rhs: [Document]) -> Bool {
    var options = BinaryEncodingOptions()
    options.useDeterministicOrdering = true
    func bytes(_ documents: [Document]) -> [UInt8]? { try? documents.proto().serializedBytes(options: options) }
    guard let left = bytes(lhs), let right = bytes(rhs) else { return false }
    return left == right
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDocumentWire(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    guard let fast = bytes.withUnsafeBytes({ DocumentWireDecoder.documents(inDataField: $0, batch: nil) }) else { return 0 }
    guard let full = try? Jina_DataRequestProto(serializedBytes: bytes), let reference = try? full.documents() else {
        fatalError("the fast decoder took bytes that SwiftProtobuf's path refuses")
    }
    guard same(fast, reference) else { fatalError("the fast decoder and SwiftProtobuf's path disagree") }

    // Encoded again, every document.
    if let encoded = try? DocumentWireEncoder.dataField(fast) {
        guard let back = try? Jina_DataRequestProto(serializedBytes: encoded).documents(), same(back, fast) else {
            fatalError("the fast encoder's bytes do not read back to the same documents")
        }
    }
    // Copied from the input where unchanged (the executor's path): the first document changed.
    var request = LazyDataRequest(head: Jina_DataRequestProtoWoData())
    if let unknown = try? Jina_DataRequestProtoWoData(serializedBytes: bytes).unknownFields {
        request.head.unknownFields = unknown
    }
    guard let (documents, source) = try? request.documentsForReply() else { return 0 }
    var changed = documents
    if !changed.isEmpty { changed[0].fields["fuzz"] = "changed" }
    var reply = request
    if (try? reply.setDocuments(changed, reusing: source)) != nil {
        guard let back = try? reply.documents(), same(back, changed) else {
            fatalError("copying unchanged documents gave different documents")
        }
    }
    return 0
}
