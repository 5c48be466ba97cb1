import JinaCore

/// A document field's value as docarray's query language compares it: numbers (integers and
/// floats alike), strings, booleans, None, lists and dicts; anything else (bytes, tensors,
/// nested documents) equals nothing and orders with nothing.
enum FieldValue: Equatable {
    case none
    case bool(Bool)
    case number(Double)
    case string(String)
    case list([FieldValue])
    case dict([String: FieldValue])
    case opaque

    init(_ value: DocValue) {
        switch value.content {
        case .null: self = .none
        case .text(let text): self = .string(text)
        case .integer(let number): self = .number(Double(number))
        case .float(let number): self = .number(number)
        case .boolean(let flag): self = .bool(flag)
        case .list(let items), .set(let items), .tuple(let items): self = .list(items.map(FieldValue.init))
        case .dict(let entries): self = .dict(entries.mapValues(FieldValue.init))
        case .docList(let documents): self = .list(documents.map { _ in .opaque })
        case .blob, .ndarray, .doc: self = .opaque
        }
    }

    init(_ value: SpecValue) {
        switch value {
        case .null: self = .none
        case .bool(let flag): self = .bool(flag)
        case .int(let number): self = .number(Double(number))
        case .double(let number): self = .number(number)
        case .string(let text): self = .string(text)
        case .array(let items): self = .list(items.map(FieldValue.init))
        case .object(let members): self = .dict(members.mapValues(FieldValue.init))
        }
    }

    static func == (lhs: FieldValue, rhs: FieldValue) -> Bool {
        switch (lhs, rhs) {
        case (.none, .none): true
        case (.bool(let a), .bool(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.list(let a), .list(let b)): a == b
        case (.dict(let a), .dict(let b)): a == b
        default: false
        }
    }

    /// -1, 0 or 1 for two numbers or two strings (by code point, as Python); nil otherwise.
    func compare(to other: FieldValue) -> Int? {
        switch (self, other) {
        case (.number(let a), .number(let b)):
            return a < b ? -1 : (a > b ? 1 : 0)
        case (.string(let a), .string(let b)):
            if a == b { return 0 }
            return a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars) ? -1 : 1
        default:
            return nil
        }
    }

    /// `len(value)` for strings, lists and dicts.
    var count: Int? {
        switch self {
        case .string(let text): text.count
        case .list(let items): items.count
        case .dict(let entries): entries.count
        default: nil
        }
    }

    /// The value at `path` (docarray's `dunder_get`): a document field, then dict keys, nested
    /// document fields or list indices; nil when any step does not exist.
    static func resolve(_ path: [String], in document: Document) -> FieldValue? {
        guard let first = path.first, var current = document.fields[first] else { return nil }
        for step in path.dropFirst() {
            switch current.content {
            case .dict(let entries):
                guard let next = entries[step] else { return nil }
                current = next
            case .doc(let nested):
                guard let next = nested.fields[step] else { return nil }
                current = next
            case .list(let items), .set(let items), .tuple(let items):
                guard let index = Int(step), items.indices.contains(index) else { return nil }
                current = items[index]
            case .docList(let documents):
                guard let index = Int(step), documents.indices.contains(index) else { return nil }
                current = .doc(documents[index])
            default:
                return nil
            }
        }
        return FieldValue(current)
    }
}

/// A regular expression compiled once, searched anywhere in a string (Python's `re.search`).
struct CompiledPattern: @unchecked Sendable {
    // `Regex` is an immutable value; it is only read after compilation.
    private let regex: Regex<AnyRegexOutput>

    init?(_ pattern: String) {
        guard let regex = try? Regex(pattern) else { return nil }
        self.regex = regex
    }

    func search(_ text: String) -> Bool {
        text.contains(regex)
    }

    /// Python's `re.match`: a match at the start of `text`.
    func matchesPrefix(_ text: String) -> Bool {
        text.prefixMatch(of: regex) != nil
    }
}
