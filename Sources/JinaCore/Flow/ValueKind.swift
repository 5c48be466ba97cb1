/// The type of a Flow YAML key: what the validator accepts and how the JSON Schema states it.
///
/// Both `ValueChecker` (validation) and `FlowSchema` (the schema) read this one description,
/// so the two cannot disagree.
public indirect enum ValueKind: Sendable, Equatable {
    /// `true`/`false` (YAML 1.1 also reads `yes`/`no`/`on`/`off`).
    case bool
    /// An integer, optionally bounded (inclusive).
    case int(min: Int? = nil, max: Int? = nil)
    /// A string.
    case string
    /// A name: a string matching `[A-Za-z_][A-Za-z0-9_]*` of at most `maxLength` characters
    /// (the validator explains a bad name itself; the schema states the rule).
    case identifier(maxLength: Int)
    /// A string or an integer, kept as text (`gpus: 2`, `gpus: all`).
    case text
    /// A number from 0 to 1 (`traces_sampling_ratio: 0.01`).
    case fraction
    /// One of fixed words; `caseInsensitive` compares ignoring case and stores `values`' spelling.
    case oneOf([String], caseInsensitive: Bool)
    /// The value itself or a list of such values (`port: 80` or `port: [80, 81]`).
    case oneOrMany(ValueKind)
    /// A list of values.
    case list(ValueKind)
    /// A mapping from strings to values of one kind.
    case map(ValueKind)
    /// `ANY`/`ALL`/`ALL_ASYNC`, or a mapping endpoint → one of those (`*` = every other endpoint).
    case polling
    /// A document filter in docarray's query language (`{tags__k: {$eq: 1}}`).
    case filter
    /// Environment variables: a mapping of names to scalars, kept as text.
    case environment
    /// Free-form data (a mapping or anything), passed on as written.
    case any
    /// Free-form mapping, passed on as written.
    case object

    /// How the expected type is named in a message: `expected an integer`.
    var expectation: String {
        switch self {
        case .bool: "a boolean (true or false)"
        case .int: "an integer"
        case .string, .identifier: "a string"
        case .text: "a string or an integer"
        case .fraction: "a number from 0 to 1"
        case .oneOf(let values, _): "one of " + values.joined(separator: ", ")
        case .oneOrMany(let kind): kind.expectation + " or a list of them"
        case .list(let kind): "a list of " + kind.pluralName
        case .map(let kind): "a mapping of " + kind.pluralName
        case .polling: "ANY, ALL, ALL_ASYNC or a mapping endpoint → polling"
        case .filter, .object: "a mapping"
        case .environment: "a mapping of variable names to values"
        case .any: "a value"
        }
    }

    private var pluralName: String {
        switch self {
        case .int: "integers"
        case .string: "strings"
        case .bool: "booleans"
        default: "values"
        }
    }

    /// True for kinds whose values are single scalars (they also accept a `${{ … }}` string).
    var isScalar: Bool {
        switch self {
        case .bool, .int, .string, .identifier, .text, .fraction, .oneOf: true
        default: false
        }
    }
}
