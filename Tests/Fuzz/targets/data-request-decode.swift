// libFuzzer target: the full decode of a `DataRequestProto` (scripts/fuzz.sh
// data-request-decode) — SwiftProtobuf's binary decoder over Jina's generated messages, then what
// an executor and the gateway do with a request: its header fields, its parameters as JSON, its
// documents (docarray's `DocListProto`, or the legacy bytes form) as `Document`s with every
// nested node and tensor, and back to protobuf and bytes. Any input must decode or throw.
import JinaCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDataRequestDecode(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let request = try? Jina_DataRequestProto(serializedBytes: bytes) else { return 0 }
    _ = request.requestID
    _ = request.endpoint
    _ = request.targetExecutor
    _ = request.isError
    let parameters = request.parametersJSON
    _ = JSONValue.object(parameters).serializedBytes()
    _ = ExecutorParameters.forExecutor(parameters, executor: "fuzz")
    if let documents = try? request.documents() {
        for document in documents { _ = document.json().serializedBytes() }
        if let list = try? documents.proto() { _ = try? list.serializedBytes() as [UInt8] }
    }
    _ = try? request.serializedBytes() as [UInt8]
    return 0
}
