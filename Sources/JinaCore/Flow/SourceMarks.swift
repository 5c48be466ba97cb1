import JinaYAML

/// Where a spec and its values were written, for messages of later stages ("executor `a`
/// at flow.yml:7:5 …"). Inherited values point into `with:`.
public struct SourceMarks: Sendable, Equatable, Encodable {
    /// Where the section or entry starts.
    public var entry: Mark?
    /// Where each key's value was written, by canonical key name.
    public var values: [String: Mark]

    public init(entry: Mark? = nil, values: [String: Mark] = [:]) {
        self.entry = entry
        self.values = values
    }

    /// The value mark of `key`, else the entry's mark.
    public func mark(of key: String) -> Mark? {
        values[key] ?? entry
    }

    /// Encoded as `{"entry": "7:5", "values": {"replicas": "8:15"}}`.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(entry?.description, forKey: .entry)
        try container.encode(values.mapValues(\.description), forKey: .values)
    }

    private enum CodingKeys: String, CodingKey { case entry, values }
}
