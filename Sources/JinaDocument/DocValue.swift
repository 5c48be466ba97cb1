/// The value of one document field, shaped like docarray's `NodeProto` so the mapping to the
/// wire is one to one: a `content` (the proto's `content` oneof) and an optional `docarrayType`
/// (the proto's `type`, e.g. `"id"`, `"text_url"`, `"ndarray_embedding"`).
///
/// The type string is kept on every node, nested ones included, because docarray decodes typed
/// nodes by it (`"image_url"` → `ImageUrl`) and refuses an `ndarray` node without one. Equality
/// compares both content and type.
public struct DocValue: Sendable, Equatable {
    /// What a node holds; an empty node (`.null`) is how docarray sends `None`.
    public indirect enum Content: Sendable, Equatable {
        case null
        case text(String)
        /// An integer. The wire's `integer` is int32; the proto mapping decides what to do beyond.
        case integer(Int)
        case float(Double)
        case boolean(Bool)
        case blob([UInt8])
        case ndarray(NDArray)
        case doc(Document)
        case docList([Document])
        case list([DocValue])
        case set([DocValue])
        case tuple([DocValue])
        case dict([String: DocValue])
    }

    /// The value.
    public var content: Content
    /// docarray's type name for the node, when it has one.
    public var docarrayType: String?

    /// Creates a node from its content and optional docarray type.
    public init(_ content: Content, docarrayType: String? = nil) {
        self.content = content
        self.docarrayType = docarrayType
    }
}

extension DocValue {
    /// docarray's type name for a plain numpy tensor (`NdArray`).
    public static let ndarrayType = "ndarray"
    /// docarray's type name for an embedding (`NdArrayEmbedding`).
    public static let embeddingType = "ndarray_embedding"
    /// docarray's type name for a document id (`ID`).
    public static let idType = "id"

    /// An empty node (`None`).
    public static let null = DocValue(.null)
    /// A text node.
    public static func text(_ value: String, type: String? = nil) -> DocValue { DocValue(.text(value), docarrayType: type) }
    /// An integer node.
    public static func integer(_ value: Int) -> DocValue { DocValue(.integer(value)) }
    /// A float node.
    public static func float(_ value: Double) -> DocValue { DocValue(.float(value)) }
    /// A boolean node.
    public static func boolean(_ value: Bool) -> DocValue { DocValue(.boolean(value)) }
    /// A bytes node.
    public static func blob(_ value: [UInt8], type: String? = nil) -> DocValue { DocValue(.blob(value), docarrayType: type) }
    /// A tensor node; typed `"ndarray"` by default, since docarray cannot read an untyped one.
    public static func ndarray(_ value: NDArray, type: String? = ndarrayType) -> DocValue {
        DocValue(.ndarray(value), docarrayType: type)
    }
    /// A nested document.
    public static func doc(_ value: Document) -> DocValue { DocValue(.doc(value)) }
    /// A nested list of documents (`DocList`), as chunks and matches are.
    public static func docList(_ value: [Document]) -> DocValue { DocValue(.docList(value)) }
    /// A list of any values.
    public static func list(_ value: [DocValue]) -> DocValue { DocValue(.list(value)) }
    /// A set of any values (order as received).
    public static func set(_ value: [DocValue]) -> DocValue { DocValue(.set(value)) }
    /// A tuple of any values.
    public static func tuple(_ value: [DocValue]) -> DocValue { DocValue(.tuple(value)) }
    /// A string-keyed dictionary of any values, as tags are.
    public static func dict(_ value: [String: DocValue]) -> DocValue { DocValue(.dict(value)) }
}

extension DocValue {
    /// Whether the node is empty (`None`).
    public var isNull: Bool { content == .null }
    /// The text, for a text node.
    public var stringValue: String? { if case .text(let v) = content { v } else { nil } }
    /// The integer, for an integer node.
    public var intValue: Int? { if case .integer(let v) = content { v } else { nil } }
    /// The number, for a float or integer node.
    public var doubleValue: Double? {
        switch content {
        case .float(let v): v
        case .integer(let v): Double(v)
        default: nil
        }
    }
    /// The boolean, for a boolean node.
    public var boolValue: Bool? { if case .boolean(let v) = content { v } else { nil } }
    /// The bytes, for a blob node.
    public var bytesValue: [UInt8]? { if case .blob(let v) = content { v } else { nil } }
    /// The tensor, for an ndarray node.
    public var ndarrayValue: NDArray? { if case .ndarray(let v) = content { v } else { nil } }
    /// The document, for a nested document node.
    public var documentValue: Document? { if case .doc(let v) = content { v } else { nil } }
    /// The documents, for a document list node.
    public var documentsValue: [Document]? { if case .docList(let v) = content { v } else { nil } }
    /// The elements, for a list, set or tuple node.
    public var arrayValue: [DocValue]? {
        switch content {
        case .list(let v), .set(let v), .tuple(let v): v
        default: nil
        }
    }
    /// The entries, for a dict node.
    public var dictValue: [String: DocValue]? { if case .dict(let v) = content { v } else { nil } }
}

extension DocValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    /// `nil` is an empty node.
    public init(nilLiteral: ()) { self.init(.null) }
    /// A boolean literal.
    public init(booleanLiteral value: Bool) { self.init(.boolean(value)) }
    /// An integer literal.
    public init(integerLiteral value: Int) { self.init(.integer(value)) }
    /// A float literal.
    public init(floatLiteral value: Double) { self.init(.float(value)) }
    /// A string literal is an untyped text node.
    public init(stringLiteral value: String) { self.init(.text(value)) }
    /// An array literal is a list node.
    public init(arrayLiteral elements: DocValue...) { self.init(.list(elements)) }
    /// A dictionary literal is a dict node; a repeated key keeps its last value.
    public init(dictionaryLiteral elements: (String, DocValue)...) {
        self.init(.dict(Dictionary(elements, uniquingKeysWith: { _, last in last })))
    }
}
