/// Jina's `runtime_name` label: `gateway/rep-0`, `encoder/rep-1`, `indexer/shard-0/rep-1`.
public enum RuntimeName {
    /// The gateway's.
    public static let gateway = "gateway/rep-0"

    /// An executor replica's; `shard` only when the executor has several shards.
    public static func executor(_ name: String, shard: Int?, replica: Int?) -> String {
        var text = name
        if let shard { text += "/shard-\(shard)" }
        text += "/rep-\(replica ?? 0)"
        return text
    }
}
