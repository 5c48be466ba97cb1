/// One key of a Flow YAML section: its type, Jina's default, what it means, and whether this
/// version acts on it. The validator and the JSON Schema both read these tables.
public struct KeySpec: Sendable {
    /// What this version does with a key that Jina knows.
    public enum Support: Sendable, Equatable {
        /// Checked and acted on.
        case used
        /// Checked, then ignored with a warning (`accepted but not used by this version`).
        case accepted
        /// Known to Jina but refused: an error with this message and hint.
        case rejected(String, hint: String?)
    }

    public var name: String
    /// Other spellings Jina accepts for the same key (`ports` for `port`).
    public var aliases: [String]
    public var kind: ValueKind
    /// Jina's default; nil where Jina's default is None (or computed, as for `name`).
    public var defaultValue: SpecValue?
    /// One line for docs and the schema's `description`.
    public var doc: String
    public var support: Support
    /// A hint shown with the warning for an `accepted` key, where there is more to say.
    public var note: String?
    /// Acted on by Python executors only (passed to Python Jina's worker); other executors warn.
    public var pythonOnly = false
    /// Passed to Python Jina's worker as its flag (every `pythonOnly` key, and keys both act on).
    public var passedToPython = false

    /// A key Jina knows; `support` says what this version does with it.
    public init(
        _ name: String, _ kind: ValueKind, _ defaultValue: SpecValue? = nil, _ doc: String,
        aliases: [String] = [], support: Support = .used, note: String? = nil
    ) {
        self.name = name
        self.aliases = aliases
        self.kind = kind
        self.defaultValue = defaultValue
        self.doc = doc
        self.support = support
        self.note = note
    }

    /// A key this version checks but does not act on yet.
    static func accepted(
        _ name: String, _ kind: ValueKind, _ defaultValue: SpecValue? = nil, _ doc: String,
        note: String? = nil
    ) -> KeySpec {
        KeySpec(name, kind, defaultValue, doc, support: .accepted, note: note)
    }

    /// A key Python Jina's worker acts on, passed to Python executors only.
    static func python(_ name: String, _ kind: ValueKind, _ defaultValue: SpecValue? = nil, _ doc: String) -> KeySpec {
        var spec = KeySpec(name, kind, defaultValue, doc + " (Python executors)")
        spec.pythonOnly = true
        spec.passedToPython = true
        return spec
    }

    /// The same key, also passed to Python Jina's worker.
    func passed(toPython: Bool) -> KeySpec {
        var spec = self
        spec.passedToPython = toPython
        return spec
    }

    /// A key Jina knows that this version refuses.
    static func rejected(
        _ name: String, _ kind: ValueKind, _ doc: String, message: String, hint: String?
    ) -> KeySpec {
        KeySpec(name, kind, nil, doc, support: .rejected(message, hint: hint))
    }
}

/// A section's keys in file-documentation order, with lookup by name or alias.
public struct KeyTable: Sendable {
    /// The keys, in documentation order.
    public let keys: [KeySpec]
    private let index: [String: Int]

    init(_ keys: [KeySpec]) {
        self.keys = keys
        var index: [String: Int] = [:]
        for (position, key) in keys.enumerated() {
            index[key.name] = position
            for alias in key.aliases { index[alias] = position }
        }
        self.index = index
    }

    /// The key spelled `name` (its own name or an alias).
    public subscript(name: String) -> KeySpec? {
        index[name].map { keys[$0] }
    }

    /// Every accepted spelling, canonical names first (for did-you-mean).
    var spellings: [String] { keys.map(\.name) + keys.flatMap(\.aliases) }
}
