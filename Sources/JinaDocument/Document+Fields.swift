/// Typed access to the common fields, under docarray's names.
///
/// A getter returns nil when the field is missing, empty, or holds another kind of value.
/// A setter writes the canonical field name; setting nil empties a present field (docarray's
/// `None`) and leaves a missing one missing. A setter keeps the docarray type string the field
/// already had for the same kind of value (a `text_url` stays a `text_url`), and otherwise
/// writes docarray's own: `id` → `"id"`, `tensor` → `"ndarray"`, `embedding` →
/// `"ndarray_embedding"`, none for the others.
extension Document {
    /// The document id (field `id`, typed `"id"` on the wire).
    public var id: String? {
        get { fields["id"]?.stringValue }
        set { setField("id", newValue.map { .text($0) }, defaultType: DocValue.idType) }
    }

    /// The text (field `text`).
    public var text: String? {
        get { fields["text"]?.stringValue }
        set { setField("text", newValue.map { .text($0) }) }
    }

    /// The URL or URI of the content (field `url`, as docarray's `TextDoc`, `ImageDoc` and
    /// `LegacyDocument` name it).
    public var url: String? {
        get { fields["url"]?.stringValue }
        set { setField("url", newValue.map { .text($0) }) }
    }

    /// The raw content bytes: field `bytes_`, or the legacy field `blob` (docarray's
    /// `LegacyDocument`, Jina's default schema) when `bytes_` has none. The setter writes
    /// `bytes_`, except in a legacy-shaped document (a `blob` field and no `bytes_`) where it
    /// writes `blob`, so the document keeps the shape its peer expects.
    public var bytes: [UInt8]? {
        get { fields["bytes_"]?.bytesValue ?? fields["blob"]?.bytesValue }
        set {
            let legacy = fields["bytes_"] == nil && fields["blob"] != nil
            if newValue == nil, !legacy, fields["blob"] != nil { setField("blob", nil) }
            setField(legacy ? "blob" : "bytes_", newValue.map { .blob($0) })
        }
    }

    /// The tensor (field `tensor`).
    public var tensor: NDArray? {
        get { fields["tensor"]?.ndarrayValue }
        set { setField("tensor", newValue.map { .ndarray($0) }, defaultType: DocValue.ndarrayType) }
    }

    /// The embedding vector (field `embedding`).
    public var embedding: NDArray? {
        get { fields["embedding"]?.ndarrayValue }
        set { setField("embedding", newValue.map { .ndarray($0) }, defaultType: DocValue.embeddingType) }
    }

    /// Free-form metadata (field `tags`, a dict node).
    public var tags: [String: DocValue]? {
        get { fields["tags"]?.dictValue }
        set { setField("tags", newValue.map { .dict($0) }) }
    }

    /// Sub-documents (field `chunks`, a document list).
    public var chunks: [Document]? {
        get { fields["chunks"]?.documentsValue }
        set { setField("chunks", newValue.map { .docList($0) }) }
    }

    /// Search results (field `matches`, a document list).
    public var matches: [Document]? {
        get { fields["matches"]?.documentsValue }
        set { setField("matches", newValue.map { .docList($0) }) }
    }

    /// Scores by name (field `scores`, a dict node), e.g. `{"cosine": 0.9}` or, in the legacy
    /// shape, `{"cosine": {"value": 0.9}}`; see `score(_:)`.
    public var scores: [String: DocValue]? {
        get { fields["scores"]?.dictValue }
        set { setField("scores", newValue.map { .dict($0) }) }
    }

    /// Writes one field under the rules above.
    mutating func setField(_ name: String, _ content: DocValue.Content?, defaultType: String? = nil) {
        guard let content else {
            if fields[name] != nil { fields[name] = .null }
            return
        }
        var type = defaultType
        if let existing = fields[name], existing.docarrayType != nil, existing.content.kind == content.kind {
            type = existing.docarrayType
        }
        fields[name] = DocValue(content, docarrayType: type)
    }
}

extension DocValue.Content {
    /// The name of the case, as the proto's oneof field (`text`, `doc_array`, `dict`…).
    public var kind: String {
        switch self {
        case .null: "null"
        case .text: "text"
        case .integer: "integer"
        case .float: "float"
        case .boolean: "boolean"
        case .blob: "blob"
        case .ndarray: "ndarray"
        case .doc: "doc"
        case .docList: "doc_array"
        case .list: "list"
        case .set: "set"
        case .tuple: "tuple"
        case .dict: "dict"
        }
    }
}
