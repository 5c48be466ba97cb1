/// One executor that ships inside the `jina` binary: what `uses: Name` may name.
public struct BuiltinExecutor: Sendable, Encodable, Equatable {
    /// One constructor argument, set through `uses_with`.
    public struct Parameter: Sendable, Encodable, Equatable {
        public var name: String
        /// The argument's type; its values are checked with the same rules as Flow keys.
        public var type: ParameterType
        public var defaultValue: SpecValue
        public var doc: String

        public init(name: String, type: ParameterType, defaultValue: SpecValue, doc: String) {
            self.name = name
            self.type = type
            self.defaultValue = defaultValue
            self.doc = doc
        }
    }

    /// Types a built-in's parameter can have.
    public enum ParameterType: String, Sendable, Encodable, Equatable {
        case string, int, bool
        case stringList = "list of strings"

        var kind: ValueKind {
            switch self {
            case .string: .string
            case .int: .int()
            case .bool: .bool
            case .stringList: .oneOrMany(.string)
            }
        }
    }

    public var name: String
    /// Other names that mean this executor (`BaseExecutor` for `Identity`).
    public var aliases: [String]
    public var summary: String
    public var parameters: [Parameter]

    public init(name: String, aliases: [String] = [], summary: String, parameters: [Parameter] = []) {
        self.name = name
        self.aliases = aliases
        self.summary = summary
        self.parameters = parameters
    }

    /// The parameter called `name`, if there is one.
    public func parameter(_ name: String) -> Parameter? {
        parameters.first { $0.name == name }
    }
}

/// The built-in executors (`jina executor --list` prints this; the runtime implements them).
public enum BuiltinExecutorCatalog {
    /// Every built-in executor, in the order they are listed.
    public static let all: [BuiltinExecutor] = [
        BuiltinExecutor(
            name: "Identity", aliases: ["BaseExecutor"],
            summary: "Returns the documents unchanged (what an entry without `uses` runs)."),
        BuiltinExecutor(
            name: "TextAppend",
            summary: "Appends `text` to the text of every document.",
            parameters: [
                .init(name: "text", type: .string, defaultValue: "", doc: "Text appended to each document's text"),
            ]),
        BuiltinExecutor(
            name: "VectorIndex",
            summary: "Stores documents with their embeddings and finds the most similar ones (/index, /update, /delete, /search, /count, /clear, /snapshot); exact search, kept in the workspace.",
            parameters: [
                .init(name: "dim", type: .int, defaultValue: .null, doc: "Length of the embeddings (required)"),
                .init(name: "metric", type: .string, defaultValue: "cosine", doc: "cosine, dot or l2; scores are higher = more similar (l2: the negated distance)"),
                .init(name: "index", type: .string, defaultValue: "exact", doc: "exact (every vector scored) or hnsw (an approximate graph: hnswlib)"),
                .init(name: "m", type: .int, defaultValue: 16, doc: "HNSW: links per node (for hnsw)"),
                .init(name: "ef_construction", type: .int, defaultValue: 200, doc: "HNSW: candidates while building (for hnsw)"),
                .init(name: "ef_search", type: .int, defaultValue: 64, doc: "HNSW: candidates while searching (for hnsw)"),
                .init(name: "default_top_k", type: .int, defaultValue: 10, doc: "Matches per query when the request sets no parameters.top_k"),
                .init(name: "fields", type: .stringList, defaultValue: .null, doc: "Fields stored and returned with matches (default: every field but the embedding)"),
            ]),
    ]

    /// The executor named `name` or one of its aliases (case-sensitive, as class names are).
    public static func lookup(_ name: String) -> BuiltinExecutor? {
        all.first { $0.name == name || $0.aliases.contains(name) }
    }

    /// Every name `uses` accepts for a built-in, canonical names first.
    public static var allNames: [String] {
        all.map(\.name) + all.flatMap(\.aliases)
    }
}
