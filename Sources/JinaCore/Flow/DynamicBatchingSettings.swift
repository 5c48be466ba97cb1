/// What `uses_dynamic_batching` (Flow YAML) and `dynamic_batching` (executor YAML) say for one
/// endpoint (`/encode`) or one handler (`encode`), as Jina 3.34 reads them. Every field is
/// optional: a setting left out keeps what the executor declares, else Jina's default.
///
/// | key | meaning | Jina's default |
/// |---|---|---|
/// | `preferred_batch_size` | documents that start a batch, and the most a batch holds | 4 |
/// | `timeout` | milliseconds the oldest queued request waits before a smaller batch runs | 10,000 |
/// | `flush_all` | a batch takes everything queued, past `preferred_batch_size` | false |
/// | `use_dynamic_batching` | false turns batching off for this key | true |
/// | `custom_metric`, `use_custom_metric` | Python executors: a function weighing each document | — |
/// | `max_queue_documents` | ours: documents queued or in a batch past which a request is refused (`Overloaded`) | none |
public struct DynamicBatchingSettings: Sendable, Equatable, Encodable {
    public var preferredBatchSize: Int?
    /// Milliseconds.
    public var timeout: Double?
    public var flushAll: Bool?
    public var enabled: Bool?
    public var maxQueueDocuments: Int?
    /// A Python function in Jina: only Python executors can use it.
    public var customMetric: JSONValue?
    public var useCustomMetric: Bool?

    public init(
        preferredBatchSize: Int? = nil, timeout: Double? = nil, flushAll: Bool? = nil, enabled: Bool? = nil,
        maxQueueDocuments: Int? = nil
    ) {
        self.preferredBatchSize = preferredBatchSize
        self.timeout = timeout
        self.flushAll = flushAll
        self.enabled = enabled
        self.maxQueueDocuments = maxQueueDocuments
    }

    /// Jina's defaults.
    public static let defaultPreferredBatchSize = 4
    public static let defaultTimeoutMilliseconds = 10_000.0

    /// The keys of one entry, with what each expects.
    public static let keys: [(name: String, expects: String)] = [
        ("preferred_batch_size", "an integer ≥ 1"),
        ("timeout", "milliseconds, a number from 0 to 1e12"),
        ("flush_all", "a boolean"),
        ("use_dynamic_batching", "a boolean"),
        ("max_queue_documents", "an integer ≥ 1"),
        ("custom_metric", "a Python function (Python executors)"),
        ("use_custom_metric", "a boolean"),
    ]

    /// A problem in a batching table: where (the keys leading to it) and what.
    public struct Problem: Error, Equatable {
        /// `[]` for the table itself, `[KEY]` for an entry, `[KEY, FIELD]` for a field.
        public var path: [String]
        public var message: String
        public var hint: String?
        /// The problem is the last key itself (unknown), not its value.
        public var atKey = false
    }

    /// Reads a whole table `{KEY: {FIELD: VALUE}}`; KEY is an endpoint (`/encode`) or a handler name.
    public static func table(_ value: JSONValue) throws(Problem) -> [String: DynamicBatchingSettings] {
        if value == .null { return [:] }
        guard case .object(let entries) = value else {
            throw Problem(path: [], message: "expected a mapping of endpoint (or handler name) → batching settings",
                          hint: "e.g. `{/encode: {preferred_batch_size: 16, timeout: 50}}`")
        }
        var table: [String: DynamicBatchingSettings] = [:]
        for key in entries.keys.sorted() {
            table[key] = try entry(entries[key]!, key: key)
        }
        return table
    }

    /// Reads one entry `{FIELD: VALUE}`.
    static func entry(_ value: JSONValue, key: String) throws(Problem) -> DynamicBatchingSettings {
        if value == .null { return DynamicBatchingSettings() }
        guard case .object(let fields) = value else {
            throw Problem(path: [key], message: "batching settings of `\(key)` must be a mapping",
                          hint: "keys: " + keys.map(\.name).joined(separator: ", "))
        }
        var settings = DynamicBatchingSettings()
        for name in fields.keys.sorted() {
            let field = fields[name]!
            func wrong(_ expects: String) -> Problem {
                Problem(path: [key, name], message: "`\(name)` of `\(key)`: expected \(expects)")
            }
            switch name {
            case "preferred_batch_size":
                guard case .integer(let size) = field, size >= 1 else { throw wrong("an integer ≥ 1") }
                settings.preferredBatchSize = size
            case "timeout":
                // At most 10^12 ms (about 31 years): a Duration holds it.
                guard let milliseconds = field.doubleValue, milliseconds >= 0, milliseconds <= 1e12 else {
                    throw wrong("milliseconds, a number from 0 to 1e12")
                }
                settings.timeout = milliseconds
            case "flush_all":
                guard let flag = field.boolValue else { throw wrong("a boolean") }
                settings.flushAll = flag
            case "use_dynamic_batching":
                guard let flag = field.boolValue else { throw wrong("a boolean") }
                settings.enabled = flag
            case "use_custom_metric":
                guard let flag = field.boolValue else { throw wrong("a boolean") }
                settings.useCustomMetric = flag
            case "max_queue_documents":
                guard case .integer(let limit) = field, limit >= 1 else { throw wrong("an integer ≥ 1") }
                settings.maxQueueDocuments = limit
            case "custom_metric":
                settings.customMetric = field
            default:
                throw Problem(
                    path: [key, name], message: "unknown batching setting `\(name)` of `\(key)`",
                    hint: DidYouMean.hint(for: name, among: keys.map(\.name))
                        ?? "keys: " + keys.map(\.name).joined(separator: ", "), atKey: true)
            }
        }
        return settings
    }

    /// `overrides`' fields laid over these, field by field (Jina's deep update).
    public func updated(by overrides: DynamicBatchingSettings) -> DynamicBatchingSettings {
        var merged = self
        if let value = overrides.preferredBatchSize { merged.preferredBatchSize = value }
        if let value = overrides.timeout { merged.timeout = value }
        if let value = overrides.flushAll { merged.flushAll = value }
        if let value = overrides.enabled { merged.enabled = value }
        if let value = overrides.maxQueueDocuments { merged.maxQueueDocuments = value }
        if let value = overrides.customMetric { merged.customMetric = value }
        if let value = overrides.useCustomMetric { merged.useCustomMetric = value }
        return merged
    }

    /// Two tables merged as Jina's `deep_update` does: keys of `overrides` win field by field.
    public static func merge(
        _ base: [String: DynamicBatchingSettings], _ overrides: [String: DynamicBatchingSettings]
    ) -> [String: DynamicBatchingSettings] {
        var merged = base
        for (key, settings) in overrides {
            merged[key] = (merged[key] ?? DynamicBatchingSettings()).updated(by: settings)
        }
        return merged
    }

    /// The settings as JSON, with Jina's key names (what `--uses-dynamic-batching` carries).
    public var json: JSONValue {
        var object: [String: JSONValue] = [:]
        if let value = preferredBatchSize { object["preferred_batch_size"] = .integer(value) }
        if let value = timeout {
            object["timeout"] = value == value.rounded() && abs(value) < 1e15 ? .integer(Int(value)) : .number(value)
        }
        if let value = flushAll { object["flush_all"] = .bool(value) }
        if let value = enabled { object["use_dynamic_batching"] = .bool(value) }
        if let value = maxQueueDocuments { object["max_queue_documents"] = .integer(value) }
        if let value = customMetric { object["custom_metric"] = value }
        if let value = useCustomMetric { object["use_custom_metric"] = .bool(value) }
        return .object(object)
    }

    /// Encodes as `json`.
    public func encode(to encoder: any Encoder) throws {
        try json.encode(to: encoder)
    }

    /// A whole table as JSON.
    public static func json(_ table: [String: DynamicBatchingSettings]) -> JSONValue {
        .object(table.mapValues(\.json))
    }
}
