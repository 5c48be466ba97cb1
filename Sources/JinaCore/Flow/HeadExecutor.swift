/// The two head executors of a sharded executor, as Jina's head pod runs them: `uses_before`
/// gets each request before it fans out to the shards; `uses_after` gets every shard's reply
/// (one request per shard: Jina's `docs_matrix`) instead of the reduce, and its output is the
/// executor's. Jina runs them only when `shards` > 1; so do we (the validator warns otherwise).
public enum HeadRole: String, Sendable, CaseIterable, Encodable {
    case before = "uses_before"
    case after = "uses_after"
}

extension ExecutorSpec {
    /// What runs as the head executor `role`, when the executor has one in effect.
    public func headUses(_ role: HeadRole) -> ExecutorUses? {
        guard shards > 1 else { return nil }
        return role == .before ? usesBefore : usesAfter
    }

    /// The address of an already running head executor `role` (`uses_before_address`).
    public func headAddress(_ role: HeadRole) -> String? {
        guard shards > 1 else { return nil }
        return role == .before ? usesBeforeAddress : usesAfterAddress
    }

    /// Whether the executor has the head executor `role` (started by us or already running).
    public func hasHead(_ role: HeadRole) -> Bool {
        headUses(role) != nil || headAddress(role) != nil
    }

    /// The name the head executor `role` goes by, as Jina names it (`indexer/uses_before-0`):
    /// its key in the gateway's addresses and its name in routes and logs.
    public func headName(_ role: HeadRole) -> String {
        Self.headName(name, role)
    }

    public static func headName(_ executor: String, _ role: HeadRole) -> String {
        "\(executor)/\(role.rawValue)-0"
    }

    /// The head executor `role` as an executor entry of its own, to be started (nil when there
    /// is none, or it already runs at `uses_*_address`): one replica, one shard, the executor's
    /// environment, workspace, `py_modules` and monitoring; no `uses_with` (Jina would pass the
    /// sharded executor's own, which a different executor rarely takes), no `needs`.
    public func head(_ role: HeadRole) -> ExecutorSpec? {
        guard let uses = headUses(role), headAddress(role) == nil else { return nil }
        var head = self
        head.name = headName(role)
        head.uses = uses
        head.usesWith = [:]
        head.replicas = 1
        head.shards = 1
        // Started here even when the sharded executor is external (its address is not the head's).
        head.external = false
        head.tls = false
        head.ports = []
        head.polling = PollingSpec(nil)
        head.needs = []
        head.when = nil
        head.usesBefore = nil
        head.usesAfter = nil
        head.usesBeforeAddress = nil
        head.usesAfterAddress = nil
        head.dynamicBatching = [:]
        head.portMonitoring = nil
        head.reload = false
        return head
    }
}

extension Flow {
    /// The executors to start, each followed by its head executors (`uses_before`, `uses_after`).
    public var executorsWithHeads: [ExecutorSpec] {
        executors.flatMap { spec in [spec] + HeadRole.allCases.compactMap { spec.head($0) } }
    }
}
