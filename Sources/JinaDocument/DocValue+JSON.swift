extension DocValue {
    /// The value as JSON, the way docarray's JSON shows it: empty → `null`, tensors as nested
    /// lists, documents as objects, document lists, lists, sets and tuples as arrays, dicts as
    /// objects, bytes as described at `bytesJSON(_:)`. Docarray type strings are not part of JSON.
    public func json() -> JSONValue {
        switch content {
        case .null: .null
        case .text(let value): .string(value)
        case .integer(let value): .integer(value)
        case .float(let value): .number(value)
        case .boolean(let value): .bool(value)
        case .blob(let value): Self.bytesJSON(value)
        case .ndarray(let value): value.json()
        case .doc(let value): value.json()
        case .docList(let value): .array(value.map { $0.json() })
        case .list(let value), .set(let value), .tuple(let value): .array(value.map { $0.json() })
        case .dict(let value): .object(value.mapValues { $0.json() })
        }
    }

    /// A value read from JSON with no schema to guide it (unknown fields, tags, scores):
    /// `null` → empty, booleans → `.boolean`, integers (no fraction or exponent) → `.integer`,
    /// other numbers → `.float`, strings → `.text`, arrays → `.list`, objects → `.dict`.
    /// Without a schema, a list of numbers stays a list and an object stays a dict.
    public init(json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let value): self = .boolean(value)
        case .integer(let value): self = .integer(value)
        case .number(let value): self = .float(value)
        case .string(let value): self = .text(value)
        case .array(let value): self = .list(value.map(DocValue.init(json:)))
        case .object(let value): self = .dict(value.mapValues(DocValue.init(json:)))
        }
    }

    /// The prefix that marks bytes written as base64 (see `bytesJSON(_:)`).
    public static let base64BytesPrefix = "data:application/octet-stream;base64,"

    /// Bytes in JSON. pydantic (hence docarray and Jina's HTTP gateway) writes bytes as their
    /// UTF-8 text and fails on anything else; we do the same for UTF-8, and write other bytes
    /// as a base64 data URI (`data:application/octet-stream;base64,…`), which `bytes(json:)`
    /// reads back. UTF-8 text that itself starts with that prefix is base64-encoded too, so
    /// every byte string round-trips.
    public static func bytesJSON(_ bytes: [UInt8]) -> JSONValue {
        if let text = String(validating: bytes, as: UTF8.self), !text.hasPrefix(base64BytesPrefix) {
            return .string(text)
        }
        return .string(base64BytesPrefix + Base64.encode(bytes))
    }

    /// The bytes a JSON string stands for: its UTF-8, as pydantic reads it, unless it is a
    /// base64 data URI as written by `bytesJSON(_:)`; invalid base64 after the prefix is an error.
    public static func bytes(json text: String, path: String = "") throws(DocumentError) -> [UInt8] {
        guard text.hasPrefix(base64BytesPrefix) else { return Array(text.utf8) }
        guard let bytes = Base64.decode(text.dropFirst(base64BytesPrefix.count)) else {
            throw DocumentError("invalid base64 after \"\(base64BytesPrefix)\"", path: path)
        }
        return bytes
    }
}
