/// One piece of multimodal data, as docarray (v2) documents travel between Jina peers: a map of
/// field name → value, one entry per field, exactly like `docarray.DocProto`.
///
/// Every field a peer sends is kept as it came (including empty ones and their docarray type
/// strings), so a document from a Python executor with fields we do not model goes back out
/// semantically equal. The common fields have typed accessors (`id`, `text`, `url`, `bytes`,
/// `tensor`, `embedding`, `tags`, `chunks`, `matches`, `scores`) that read and write docarray's
/// field names; see `Document+Fields.swift`.
public struct Document: Sendable, Equatable {
    /// All fields by name. A field holding `.null` is present but empty (docarray's `None`);
    /// a missing key is absent. The two are different, as they are on the wire.
    public var fields: [String: DocValue] {
        didSet { origin = nil }
    }

    /// Where this document was read from, while it is unchanged: a request's documents carry
    /// it so that writing the reply copies the bytes of every document a handler did not touch
    /// instead of encoding it again. Any change to `fields` clears it. Not part of equality.
    package var origin: DocumentOrigin?

    /// A document with exactly these fields.
    public init(fields: [String: DocValue]) {
        self.fields = fields
    }

    /// A document with the given common fields set (nil ones are left out).
    public init(
        id: String? = nil, text: String? = nil, url: String? = nil, bytes: [UInt8]? = nil,
        tensor: NDArray? = nil, embedding: NDArray? = nil, tags: [String: DocValue]? = nil,
        chunks: [Document]? = nil, matches: [Document]? = nil, scores: [String: DocValue]? = nil
    ) {
        fields = [:]
        self.id = id
        self.text = text
        self.url = url
        self.bytes = bytes
        self.tensor = tensor
        self.embedding = embedding
        self.tags = tags
        self.chunks = chunks
        self.matches = matches
        self.scores = scores
    }

    /// The field named `name`; setting nil removes it.
    public subscript(name: String) -> DocValue? {
        get { fields[name] }
        set { fields[name] = newValue }
    }

    /// The field names in sorted order (the order docarray's protobuf map prints them in).
    public var fieldNames: [String] { fields.keys.sorted() }

    /// Documents are equal when their fields are; where they were read from does not count.
    public static func == (lhs: Document, rhs: Document) -> Bool {
        lhs.fields == rhs.fields
    }
}

/// The request a document was read from (a number that request's documents share) and its
/// position among them; see `Document.origin`.
package struct DocumentOrigin: Sendable, Equatable {
    package var batch: UInt64
    package var index: Int

    package init(batch: UInt64, index: Int) {
        self.batch = batch
        self.index = index
    }
}

extension Document {
    /// A new document id: 32 lower-case hex characters of a random (version 4) UUID, as
    /// Python's `uuid.uuid4().hex` that Jina and docarray use.
    public static func generateID() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40  // version 4
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 4122 variant
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for byte in bytes {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Gives this document an id if it has none (missing, empty node or empty string), and
    /// likewise every nested document (in `.doc` and `.docList` fields: chunks, matches…), as
    /// docarray gives every document one. Returns this document's id.
    @discardableResult
    public mutating func ensureID() -> String {
        for (name, value) in fields {
            switch value.content {
            case .doc(var nested):
                nested.ensureID()
                fields[name]!.content = .doc(nested)
            case .docList(var nested):
                for index in nested.indices { nested[index].ensureID() }
                fields[name]!.content = .docList(nested)
            default:
                break
            }
        }
        if let id, !id.isEmpty { return id }
        let id = Self.generateID()
        self.id = id
        return id
    }
}
