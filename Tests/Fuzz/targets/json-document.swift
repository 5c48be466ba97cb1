// libFuzzer target: the JSON the HTTP gateway and `jina client` read — the parser, documents
// from JSON, and back (scripts/fuzz.sh json-document). Any input must parse or throw.
import JinaCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONDocument(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let json = try? JSONValue(parsing: bytes) else { return 0 }
    _ = json.serialized()
    if let documents = try? [Document](json: json) {
        for document in documents { _ = document.json().serializedBytes() }
    }
    return 0
}
