import JinaProto
import struct Foundation.Data

/// Counts the top-level documents of a request from its encoded `data` field without decoding
/// them, so that `max_documents` costs almost nothing on the gRPC and WebSocket paths.
public enum DocumentCount {
    /// The number of documents; nil when the bytes are not well-formed.
    public static func of(_ request: LazyDataRequest) -> Int? {
        let data = request.encodedData
        if data.isEmpty { return 0 }
        return data.withUnsafeBytes { raw -> Int? in
            var count = 0
            var reader = WireReader(raw)
            let wellFormed = reader.eachLengthDelimited(field: 4) { content in
                var content = content
                return content.eachLengthDelimited(fields: [1, 2]) { list in
                    var list = list
                    return list.eachLengthDelimited(field: 1) { _ in
                        count += 1
                        return true
                    }
                }
            }
            return wellFormed == nil ? nil : count
        }
    }
}
