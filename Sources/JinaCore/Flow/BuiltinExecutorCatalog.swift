/// One executor that ships inside the `jina` binary: what `uses: Name` may name.
public struct BuiltinExecutor: Sendable, Encodable, Equatable {
    /// One constructor argument, set through `uses_with`.
    public struct Parameter: Sendable, Encodable, Equatable {
        public var name: String
        /// The argument's type; its values are checked with the same rules as Flow keys.
        public var type: ParameterType
        public var defaultValue: SpecValue
        public var doc: String
        /// The words a string parameter accepts (nil: any string), checked when the Flow is
        /// validated, so a typo is an error at its line rather than at executor start.
        public var choices: [String]?

        public init(name: String, type: ParameterType, defaultValue: SpecValue, doc: String, choices: [String]? = nil) {
            self.name = name
            self.type = type
            self.defaultValue = defaultValue
            self.doc = doc
            self.choices = choices
        }

        /// What the validator checks a value against.
        var kind: ValueKind {
            choices.map { .oneOf($0, caseInsensitive: false) } ?? type.kind
        }
    }

    /// Types a built-in's parameter can have.
    public enum ParameterType: String, Sendable, Encodable, Equatable {
        case string, int, bool
        case stringList = "list of strings"
        /// A file path: in a Flow, a relative path starts at the Flow file's folder.
        case path
        /// File paths, one or a list: in a Flow, relative ones start at the Flow file's folder.
        case paths = "path or list of paths"
        /// An integer or `[width, height]`.
        case size = "integer or [width, height]"
        /// A number (checked by the executor when it starts).
        case number
        /// A list of numbers (checked by the executor when it starts).
        case numbers = "list of numbers"

        var kind: ValueKind {
            switch self {
            case .string, .path: .string
            case .int: .int()
            case .bool: .bool
            case .stringList, .paths: .oneOrMany(.string)
            case .size: .oneOrMany(.int())
            case .number, .numbers: .any
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
                .init(name: "metric", type: .string, defaultValue: "cosine", doc: "cosine, dot or l2; scores are higher = more similar (l2: the negated distance)", choices: ["cosine", "dot", "l2"]),
                .init(name: "index", type: .string, defaultValue: "exact", doc: "exact (every vector scored) or hnsw (an approximate graph: hnswlib)", choices: ["exact", "hnsw"]),
                .init(name: "m", type: .int, defaultValue: 16, doc: "HNSW: links per node (for hnsw)"),
                .init(name: "ef_construction", type: .int, defaultValue: 200, doc: "HNSW: candidates while building (for hnsw)"),
                .init(name: "ef_search", type: .int, defaultValue: 64, doc: "HNSW: candidates while searching (for hnsw)"),
                .init(name: "default_top_k", type: .int, defaultValue: 10, doc: "Matches per query when the request sets no parameters.top_k"),
                .init(name: "search_endpoint", type: .string, defaultValue: "/search", doc: "The endpoint searches come on (two indexes in one Flow: /search and /search_text)"),
                .init(name: "search_threads", type: .int, defaultValue: .null, doc: "Threads one exact search may use on a large index (default: the CPUs, at most 4)"),
                .init(name: "fields", type: .stringList, defaultValue: .null, doc: "Fields stored and returned with matches (default: every field but the embedding)"),
            ]),
        BuiltinExecutor(
            name: "OnnxEncoder",
            summary: "Runs an ONNX model on each document's tensor (ONNX Runtime, loaded at start-up) and stores the result as its embedding.",
            parameters: [
                .init(name: "model", type: .path, defaultValue: .null, doc: "The .onnx model file (required)"),
                .init(name: "runtime", type: .path, defaultValue: .null, doc: "libonnxruntime.so.1.32.0 (default: JINA_ONNXRUNTIME, else where scripts/install-models.sh puts it)"),
                .init(name: "input", type: .string, defaultValue: .null, doc: "The model input fed with the tensors (default: the first)"),
                .init(name: "output", type: .string, defaultValue: .null, doc: "The model output read (default: the first)"),
                .init(name: "pooling", type: .string, defaultValue: "none", doc: "none, mean (over axis 1) or cls (position 0 of axis 1)", choices: ["none", "mean", "cls"]),
                .init(name: "normalize", type: .bool, defaultValue: false, doc: "Scale each embedding to length 1"),
                .init(name: "batch_size", type: .int, defaultValue: 32, doc: "Documents per model run"),
                .init(name: "intra_op_threads", type: .int, defaultValue: .null, doc: "Threads one model run may use (default: ONNX Runtime's choice)"),
            ]),
        BuiltinExecutor(
            name: "ImageEncoder",
            summary: "Embeds each document's image (bytes_/blob, a data: or allowed file url, or an RGB tensor; JPEG, PNG, WebP) with an ONNX model (default: the installed ResNet-50, 1024 dimensions).",
            parameters: [
                .init(name: "model", type: .path, defaultValue: .null, doc: "The .onnx model (default: the installed ResNet-50 of open_nsfw)"),
                .init(name: "runtime", type: .path, defaultValue: .null, doc: "libonnxruntime.so.1.32.0 (default: JINA_ONNXRUNTIME, else the installed one)"),
                .init(name: "input", type: .string, defaultValue: .null, doc: "The model input fed with the pixels (default: the first)"),
                .init(name: "output", type: .string, defaultValue: .null, doc: "The model output read (default: Reshape:0 for the bundled model, else the first)"),
                .init(name: "pooling", type: .string, defaultValue: "none", doc: "none, mean or cls", choices: ["none", "mean", "cls"]),
                .init(name: "normalize", type: .bool, defaultValue: true, doc: "Scale each embedding to length 1"),
                .init(name: "resize", type: .size, defaultValue: 256, doc: "Size before cropping: one number (square) or [width, height]"),
                .init(name: "resize_mode", type: .string, defaultValue: "squash", doc: "squash (both sides to resize) or shorter_side (the shorter side to resize, aspect kept)", choices: ["squash", "shorter_side"]),
                .init(name: "crop", type: .size, defaultValue: 224, doc: "Centre crop: one number or [width, height]"),
                .init(name: "channel_order", type: .string, defaultValue: "bgr", doc: "rgb or bgr", choices: ["rgb", "bgr"]),
                .init(name: "scale", type: .number, defaultValue: 1, doc: "Pixel values (0-255) are multiplied by this first"),
                .init(name: "mean", type: .numbers, defaultValue: [104, 117, 123], doc: "Subtracted per channel (in channel_order)"),
                .init(name: "std", type: .numbers, defaultValue: [1, 1, 1], doc: "Divided per channel, after the mean"),
                .init(name: "layout", type: .string, defaultValue: "nhwc", doc: "nhwc ([height, width, 3]) or nchw ([3, height, width])", choices: ["nhwc", "nchw"]),
                .init(name: "allowed_paths", type: .paths, defaultValue: .null, doc: "Folders a url may name files in (default: none; data: URIs always work)"),
                .init(name: "max_pixels", type: .int, defaultValue: 50_000_000, doc: "Larger images (from their header) are refused before decoding"),
                .init(name: "batch_size", type: .int, defaultValue: 32, doc: "Images per model run"),
                .init(name: "intra_op_threads", type: .int, defaultValue: .null, doc: "Threads one model run may use (default: ONNX Runtime's choice)"),
            ]),
        BuiltinExecutor(
            name: "TextEncoder",
            summary: "Embeds each document's text with a BERT-family ONNX model (default: all-MiniLM-L6-v2, 384 dimensions, from scripts/install-models.sh).",
            parameters: [
                .init(name: "model", type: .path, defaultValue: .null, doc: "The .onnx model (default: the installed all-MiniLM-L6-v2)"),
                .init(name: "vocabulary", type: .path, defaultValue: .null, doc: "Its WordPiece vocab.txt (default: the installed one)"),
                .init(name: "runtime", type: .path, defaultValue: .null, doc: "libonnxruntime.so.1.32.0 (default: JINA_ONNXRUNTIME, else the installed one)"),
                .init(name: "output", type: .string, defaultValue: .null, doc: "The model output read (default: the first)"),
                .init(name: "pooling", type: .string, defaultValue: "mean", doc: "mean (over the kept tokens), cls or none", choices: ["none", "mean", "cls"]),
                .init(name: "normalize", type: .bool, defaultValue: true, doc: "Scale each embedding to length 1"),
                .init(name: "max_length", type: .int, defaultValue: 256, doc: "Tokens per text, [CLS] and [SEP] included; longer texts are cut"),
                .init(name: "batch_size", type: .int, defaultValue: 32, doc: "Texts per model run"),
                .init(name: "intra_op_threads", type: .int, defaultValue: .null, doc: "Threads one model run may use (default: ONNX Runtime's choice)"),
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
