// libFuzzer target: the gateway's lazy path — the wire-format walk that decides, without
// decoding, whether every document of a request already has an id (DocumentIDScan, over the
// bytes of a DataRequestProto's unknown fields). Any input must give an answer (true, false,
// or "not well-formed"), never a trap or an out-of-bounds read (scripts/fuzz.sh data-request-scan).
import struct Foundation.Data

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDataRequestScan(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    _ = DocumentIDScan.allDocumentsHaveIDs(Data(bytes: data, count: size))
    return 0
}
