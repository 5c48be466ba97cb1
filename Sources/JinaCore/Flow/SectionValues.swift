import JinaYAML

/// One key of a section as read: its checked value and where it was written.
struct SpecEntry: Sendable {
    /// Canonical key name (`port` even when written `ports`).
    var key: String
    /// The checked, normalised value; `.null` when written empty; nil when it failed its check
    /// (the problem is already reported, so later checks stay quiet about it).
    var value: SpecValue?
    var keyMark: Mark
    var valueMark: Mark
    /// The value as written, for checks that point inside it (a `needs` entry, a `uses_with` key).
    var node: YAMLNode
    /// True when the value came from `with:` rather than the section itself.
    var inherited = false
}

/// The keys of one section (`with`, `gateway`, one executor) after checking, by canonical name.
struct SectionValues: Sendable {
    private(set) var entries: [String: SpecEntry] = [:]
    /// Where the section itself starts.
    var mark: Mark?

    init(mark: Mark? = nil) {
        self.mark = mark
    }

    subscript(key: String) -> SpecEntry? {
        get { entries[key] }
        set { entries[key] = newValue }
    }

    /// Whether the key was written at all (even as null or with a bad value).
    func has(_ key: String) -> Bool { entries[key] != nil }

    /// The checked value; nil when absent, null or invalid.
    func value(_ key: String) -> SpecValue? {
        guard let value = entries[key]?.value, value != .null else { return nil }
        return value
    }

    func int(_ key: String) -> Int? { value(key)?.intValue }
    func bool(_ key: String) -> Bool? { value(key)?.boolValue }
    func double(_ key: String) -> Double? { value(key)?.doubleValue }
    func string(_ key: String) -> String? { value(key)?.stringValue }
    func strings(_ key: String) -> [String]? { value(key)?.arrayValue?.compactMap(\.stringValue) }
    func ints(_ key: String) -> [Int]? { value(key)?.arrayValue?.compactMap(\.intValue) }
    func object(_ key: String) -> [String: SpecValue]? { value(key)?.objectValue }

    /// String-valued mapping (`env`, `grpc_metadata`); empty when absent.
    func stringMap(_ key: String) -> [String: String] {
        (object(key) ?? [:]).compactMapValues(\.stringValue)
    }

    /// Where the key's value was written (inherited values point into `with:`).
    func valueMark(_ key: String) -> Mark? { entries[key]?.valueMark }

    /// Adds the entries of `common` this section does not set itself and `accepts`.
    func inheriting(from common: SectionValues, where accepts: (String) -> Bool) -> SectionValues {
        var merged = self
        for (key, entry) in common.entries where entries[key] == nil && accepts(key) {
            var inherited = entry
            inherited.inherited = true
            merged.entries[key] = inherited
        }
        return merged
    }

    /// Values of the keys this version accepts without acting on them, as written.
    func accepted(by table: KeyTable) -> [String: SpecValue] {
        var accepted: [String: SpecValue] = [:]
        for (key, entry) in entries where table[key]?.support == .accepted {
            accepted[key] = entry.value ?? .null
        }
        return accepted
    }

    /// Value marks of every key, for `SourceMarks`.
    var valueMarks: [String: Mark] { entries.mapValues(\.valueMark) }
}
