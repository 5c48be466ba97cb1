/// Documents in JSON: the HTTP gateway's `data` entries and the CLI's one document per line.
///
/// Field names are docarray's (`id`, `text`, `url`, `bytes_`, `blob`, `tensor`, `embedding`,
/// `tags`, `chunks`, `matches`, `scores`); any other field is kept, read without a schema (see
/// `DocValue.init(json:)`). `null` is accepted for every field and kept as an empty field.
extension Document {
    /// Reads a document from a JSON object. The known fields are checked and typed: `id` a
    /// string (an integer is turned into its decimal text, as docarray does), `text`/`url`
    /// strings, `bytes_`/`blob` strings (see `DocValue.bytes(json:path:)`), `tensor`/`embedding`
    /// nested lists of numbers (see `NDArray.init(json:path:)`), `tags`/`scores` objects,
    /// `chunks`/`matches` arrays of documents. Errors carry the JSON path below `path`
    /// (`data[3]` gives `data[3].embedding[1]`).
    public init(json: JSONValue, path: String = "") throws(DocumentError) {
        guard case .object(let members) = json else {
            throw DocumentError("expected a document (an object), got \(json.kindDescription)", path: path)
        }
        var fields: [String: DocValue] = [:]
        for (name, value) in members {
            fields[name] = try Self.field(name, json: value, path: JSONPath.member(path, name))
        }
        self.init(fields: fields)
    }

    /// The document as a JSON object with every field (empty ones as `null`).
    public func json() -> JSONValue {
        .object(fields.mapValues { $0.json() })
    }

    /// One known or unknown field read from JSON.
    private static func field(_ name: String, json: JSONValue, path: String) throws(DocumentError) -> DocValue {
        if json == .null { return .null }
        func mismatch(_ expected: String) -> DocumentError {
            DocumentError("expected \(expected), got \(json.kindDescription)", path: path)
        }
        switch name {
        case "id":
            if let text = json.stringValue { return .text(text, type: DocValue.idType) }
            if case .integer(let number) = json { return .text(String(number), type: DocValue.idType) }
            throw mismatch("a string")
        case "text", "url":
            guard let text = json.stringValue else { throw mismatch("a string") }
            return .text(text)
        case "bytes_", "blob":
            guard let text = json.stringValue else { throw mismatch("a string") }
            return .blob(try DocValue.bytes(json: text, path: path))
        case "tensor":
            return .ndarray(try NDArray(json: json, path: path), type: DocValue.ndarrayType)
        case "embedding":
            return .ndarray(try NDArray(json: json, path: path), type: DocValue.embeddingType)
        case "tags", "scores":
            guard case .object(let members) = json else { throw mismatch("an object") }
            return .dict(members.mapValues(DocValue.init(json:)))
        case "chunks", "matches":
            guard case .array(let elements) = json else { throw mismatch("a list of documents") }
            var documents: [Document] = []
            documents.reserveCapacity(elements.count)
            for (index, element) in elements.enumerated() {
                documents.append(try Document(json: element, path: JSONPath.element(path, index)))
            }
            return .docList(documents)
        default:
            return DocValue(json: json)
        }
    }
}

extension Array where Element == Document {
    /// Reads documents from a JSON array of objects — or a single object, one document, as
    /// Jina's HTTP gateway accepts for `data`. Errors name the element (`data[3].text`).
    public init(json: JSONValue, path: String = "data") throws(DocumentError) {
        switch json {
        case .array(let elements):
            var documents: [Document] = []
            documents.reserveCapacity(elements.count)
            for (index, element) in elements.enumerated() {
                documents.append(try Document(json: element, path: JSONPath.element(path, index)))
            }
            self = documents
        case .object:
            self = [try Document(json: json, path: path)]
        default:
            throw DocumentError("expected a list of documents, got \(json.kindDescription)", path: path)
        }
    }

    /// The documents as a JSON array of objects.
    public func json() -> JSONValue {
        .array(map { $0.json() })
    }
}
