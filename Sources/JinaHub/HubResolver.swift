import Foundation
import JinaCore

/// Turns a Flow's Hub references (`uses: jinaai://…`, also in `uses_before`/`uses_after`) into
/// local packages before it starts: a Python package becomes `uses: FILES/config.yml` (run by
/// Python Jina's worker), a program package `uses: FILES/EXECUTABLE`.
///
/// Which digest: the one `flow.lock` pins (a tag that moved since is reported, not followed);
/// else, with `--lock`, what the tag points at on the registry now (the lock is then written);
/// else the digest the tag had at its last pull, pulling it when the cache has none.
/// `--offline` never asks a registry: a reference that is not cached fails.
public struct HubResolver: Sendable {
    public var hub: Hub
    public var offline: Bool
    public var writeLock: Bool
    /// One line per reference: what it resolved to, and anything worth knowing.
    public var report: @Sendable (String) -> Void

    public init(hub: Hub, offline: Bool, writeLock: Bool, report: @escaping @Sendable (String) -> Void) {
        self.hub = hub
        self.offline = offline
        self.writeLock = writeLock
        self.report = report
    }

    /// Whether `flow` names any Hub package (not counting `+docker` images).
    public static func hasPackages(_ flow: Flow) -> Bool {
        flow.executors.contains { spec in
            [spec.uses, spec.usesBefore, spec.usesAfter].contains { uses in
                if case .hub(let reference)? = uses { return !reference.isContainerImage }
                return false
            }
        }
    }

    public func resolve(_ flow: Flow, flowDirectory: String) async throws(HubError) -> Flow {
        guard Self.hasPackages(flow) || writeLock else { return flow }
        let lockPath = FlowLock.path(in: flowDirectory)
        let lock = try FlowLock.load(lockPath)
        var written = lock ?? FlowLock()
        var flow = flow
        for index in flow.executors.indices {
            let spec = flow.executors[index]
            if let uses = try await localize(spec.uses, executor: spec.name, lock: lock, written: &written) {
                flow.executors[index].uses = uses
            }
            flow.executors[index].usesBefore = try await localize(spec.usesBefore, executor: spec.name, lock: lock, written: &written)
            flow.executors[index].usesAfter = try await localize(spec.usesAfter, executor: spec.name, lock: lock, written: &written)
        }
        if writeLock {
            try written.write(lockPath)
            report("wrote \(lockPath) (\(written.packages.count) package\(written.packages.count == 1 ? "" : "s"))")
        } else if lock != nil {
            report("using the digests pinned in \(lockPath)")
        }
        return flow
    }

    /// For `jina export`: the package every Hub reference of `flow` means — the locked digest
    /// when flow.lock has one, else what the tag resolves to — by `ExecutorUses.text`. The
    /// packages are in the cache afterwards (the exporter reads their kind and program path).
    public func records(_ flow: Flow, flowDirectory: String) async throws(HubError) -> [String: PackageRecord] {
        let lock = try FlowLock.load(FlowLock.path(in: flowDirectory))
        var records: [String: PackageRecord] = [:]
        for spec in flow.executors {
            for uses in [spec.uses, spec.usesBefore, spec.usesAfter] {
                guard case .hub(let reference)? = uses, !reference.isContainerImage else { continue }
                let key = ExecutorUses.hub(reference).text
                guard records[key] == nil else { continue }
                records[key] = try await resolve(reference, key: key, locked: lock?.packages[key], executor: spec.name)
            }
        }
        return records
    }

    /// `uses` with a Hub package replaced by its local form; anything else as it is.
    private func localize(_ uses: ExecutorUses?, executor: String, lock: FlowLock?, written: inout FlowLock) async throws(HubError) -> ExecutorUses? {
        guard case .hub(let reference)? = uses, !reference.isContainerImage else { return uses }
        let key = ExecutorUses.hub(reference).text
        do {
            let record = try await resolve(reference, key: key, locked: writeLock ? nil : lock?.packages[key], executor: executor)
            written.packages[key] = FlowLock.Entry(registry: record.registry, digest: record.digest)
            return try local(record, executor: executor)
        } catch where !error.summary.hasPrefix("executor `") {
            // Registry and cache errors name the reference; in a Flow, also the executor.
            throw HubError(error.kind, "executor `\(executor)`: " + error.summary, hint: error.hint)
        }
    }

    private func resolve(_ reference: HubReference, key: String, locked: FlowLock.Entry?, executor: String) async throws(HubError) -> PackageRecord {
        if let locked {
            var pinned = reference
            pinned.digest = locked.digest
            if pinned.registry == nil, hub.defaultRegistry == nil { pinned.registry = locked.registry }
            if !offline, reference.digest == nil { await reportMovedTag(reference, locked: locked, key: key, executor: executor) }
            return try await obtain(pinned, executor: executor)
        }
        if writeLock, !offline, reference.digest == nil {
            let record = try await hub.pull(reference)
            report("executor `\(executor)`: \(key) → \(record.digest)")
            return record
        }
        return try await obtain(reference, executor: executor)
    }

    /// From the cache when it holds the package undamaged; else pulled (unless offline).
    private func obtain(_ reference: HubReference, executor: String) async throws(HubError) -> PackageRecord {
        let (record, damage) = try hub.cached(reference)
        if let record {
            report("executor `\(executor)`: \(ExecutorUses.hub(reference).text) → \(record.digest) (cached)")
            return record
        }
        let place = reference.on(registry: try hub.registry(of: reference))
        if offline {
            throw HubError(.runtime, "executor `\(executor)`: \(place) is not in the Hub cache" + (damage.map { " undamaged (the cached copy: \($0))" } ?? "")
                           + " and --offline forbids pulling it",
                           hint: "run `jina hub pull \(place)` while online, or start without --offline")
        }
        if let damage { report("executor `\(executor)`: the cached \(place) is damaged (\(damage)); pulling it again") }
        let pulled = try await hub.pull(reference)
        report("executor `\(executor)`: pulled \(place) → \(pulled.digest)")
        return pulled
    }

    private func reportMovedTag(_ reference: HubReference, locked: FlowLock.Entry, key: String, executor: String) async {
        do {
            let registry = reference.registry ?? hub.defaultRegistry ?? locked.registry
            let client = try hub.client(for: registry)
            guard let (_, current) = try await client.manifest(reference.repository, reference: reference.effectiveTag) else { return }
            if current != locked.digest {
                report("executor `\(executor)`: the tag of \(key) has moved to \(current); running \(locked.digest) as flow.lock pins it (`jina flow --lock` moves to the new one)")
            }
        } catch {
            report("executor `\(executor)`: could not check whether the tag of \(key) moved: \(error.summary)")
        }
    }

    /// The local form of a cached package.
    func local(_ record: PackageRecord, executor: String) throws(HubError) -> ExecutorUses {
        let files = hub.cache.filesFolder(record.digest)
        switch record.manifest.kind {
        case .python:
            let requirements = FileManager.default.contents(atPath: files + "/requirements.txt").map { String(decoding: $0, as: UTF8.self) } ?? ""
            let listed = requirements.split(separator: "\n").contains { line in
                let text = line.trimmingCharacters(in: .whitespaces)
                return !text.isEmpty && !text.hasPrefix("#")
            }
            if listed {
                report("executor `\(executor)`: \(record.repository) lists Python requirements, which jina does not install: `pip install -r \(files)/requirements.txt` into the executors' Python if it lacks them")
            }
            return .config(path: files + "/config.yml")
        case .program:
            #if !(os(Linux) && arch(x86_64))
            throw HubError(.runtime, "executor `\(executor)`: \(record.repository) is a linux-x86_64 program, which this machine cannot run")
            #else
            return .program(path: files + "/" + (record.manifest.executable ?? ""))
            #endif
        }
    }

    /// `--validate` with a lock: every locked digest of the Flow must be in the cache,
    /// undamaged; with `--offline` and no lock, every reference (its tag's last pull). Returns
    /// the executors whose package is missing, with the reason.
    public func missingLocked(_ flow: Flow, flowDirectory: String) throws(HubError) -> [(executor: ExecutorSpec, message: String)] {
        let lock = try FlowLock.load(FlowLock.path(in: flowDirectory))
        guard lock != nil || offline else { return [] }
        var missing: [(ExecutorSpec, String)] = []
        for spec in flow.executors {
            for uses in [spec.uses, spec.usesBefore, spec.usesAfter] {
                guard case .hub(let reference)? = uses, !reference.isContainerImage else { continue }
                let key = ExecutorUses.hub(reference).text
                guard let lock else {
                    let (record, damage) = try hub.cached(reference)
                    if record == nil {
                        missing.append((spec, "\(key) is not in the Hub cache" + (damage.map { " undamaged (the cached copy: \($0))" } ?? "")
                                        + ", and --offline forbids pulling it"))
                    }
                    continue
                }
                guard let entry = lock.packages[key] else {
                    missing.append((spec, "\(key) is not in \(FlowLock.fileName)"))
                    continue
                }
                if hub.cache.record(entry.digest) == nil {
                    missing.append((spec, "\(key) is locked to \(entry.digest), which is not in the Hub cache"))
                } else if let damage = hub.cache.damage(entry.digest) {
                    missing.append((spec, "\(key) is locked to \(entry.digest), whose cached copy is damaged (\(damage))"))
                }
            }
        }
        return missing
    }
}
