// libFuzzer target: the HTTP gateway's JSON request decoder (JSONDataRequest.parse), as
// `POST /post`, `POST /ENDPOINT` and the WebSocket `json` sub-protocol take a body: JSON
// parsing, the body's shape (data, parameters, header, execEndpoint), documents from JSON, the
// protobuf request and its lazy form, with limits from the input's first byte. Any input must
// become a request or a RequestProblem (a 422/413 body), never trap; a request must serialize
// and come back as the same bytes, and a problem must render its JSON.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPJSONRequest(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let limits = GatewayLimits(maxRequestBytes: 1 << 20, maxDocuments: Int(bytes[0] % 8))
    do {
        let request = try JSONDataRequest.parse(Array(bytes.dropFirst()), endpoint: bytes[0] & 0x80 == 0 ? nil : "/x",
                                                limits: limits)
        let encoded: [UInt8] = try request.head.serializedBytes()
        let again = try Jina_DataRequestProtoWoData(serializedBytes: encoded)
        precondition(again == request.head, "the request does not survive its own serialization")
        _ = try? JSONDataRequest.reply(request)
    } catch let problem as RequestProblem {
        _ = problem.json.serialized()
    } catch {
        preconditionFailure("an error that is not a RequestProblem escaped: \(error)")
    }
    return 0
}
