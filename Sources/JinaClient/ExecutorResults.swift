public import JinaCore

/// What executors returned over a run (`parameters["__results__"]` of every reply), printed by
/// `jina client post --results`. Keys are replica names (`NAME/rep-0`, `NAME/shard-1/rep-0`);
/// a later reply's value for a key replaces an earlier one. `totals` adds up, per executor, the
/// numbers its shards returned (a sharded `VectorIndex`'s `/count`), when all of them are numbers;
/// replicas of one shard hold the same data, so each shard counts once (its last replica's answer).
public struct ExecutorResults: Sendable, Equatable {
    public private(set) var byReplica: [String: JSONValue] = [:]

    public init() {}

    public mutating func add(_ reply: ClientReply) {
        byReplica.merge(reply.results) { _, new in new }
    }

    public var isEmpty: Bool { byReplica.isEmpty }

    /// Per executor (the replica name up to its first `/`), the sum of its shards' numbers;
    /// executors that returned anything else are left out.
    public var totals: [String: JSONValue] {
        var byShard: [String: JSONValue] = [:]  // `NAME` or `NAME/shard-N`, without `/rep-R`
        for replica in byReplica.keys.sorted() {
            var parts = replica.split(separator: "/").map(String.init)
            if parts.count > 1, parts.last?.hasPrefix("rep-") == true { parts.removeLast() }
            byShard[parts.joined(separator: "/")] = byReplica[replica]
        }
        var grouped: [String: [JSONValue]] = [:]
        for (shard, value) in byShard {
            grouped[String(shard.split(separator: "/", maxSplits: 1).first ?? Substring(shard)), default: []].append(value)
        }
        var totals: [String: JSONValue] = [:]
        for (executor, values) in grouped {
            let numbers = values.compactMap(\.doubleValue)
            guard numbers.count == values.count else { continue }
            let sum = numbers.reduce(0, +)
            totals[executor] = sum.rounded() == sum && abs(sum) < 1e15 ? .integer(Int(sum)) : .number(sum)
        }
        return totals
    }

    /// `{"results": {replica: value}, "totals": {executor: sum}}`.
    public var json: JSONValue {
        .object(["results": .object(byReplica), "totals": .object(totals)])
    }
}
