import Foundation
import JinaCore
import JinaYAML

/// `flow.lock`, in the Flow file's folder: the digest every Hub reference of the Flows there
/// resolved to when `jina flow --lock` last ran, and the registry it came from. While it
/// exists, `jina flow` runs exactly those digests.
///
/// ```yaml
/// version: 1
/// packages:
///   jinaai://team/encoder:1.0:
///     registry: registry.example.com
///     digest: sha256:…
/// ```
public struct FlowLock: Equatable, Sendable {
    public struct Entry: Equatable, Sendable {
        public var registry: String
        public var digest: String
    }

    /// By the reference as the Flow writes it (`ExecutorUses.text`).
    public var packages: [String: Entry] = [:]

    public init(packages: [String: Entry] = [:]) { self.packages = packages }

    public static let fileName = "flow.lock"

    public static func path(in flowDirectory: String) -> String { flowDirectory + "/" + fileName }

    /// The lock at `path`; nil when there is none.
    public static func load(_ path: String) throws(HubError) -> FlowLock? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        func problem(_ message: String, _ mark: Mark? = nil) -> HubError {
            HubError(.invalidInput, "\(path)\(mark.map { ":\($0.line):\($0.column)" } ?? ""): \(message)",
                     hint: "run `jina flow --uses FLOW --lock --validate` to write it again")
        }
        let root: YAMLNode?
        do { root = try YAMLLoader.load(String(decoding: data, as: UTF8.self)) } catch { throw problem(error.message, error.mark) }
        guard let root, case .mapping(let pairs) = root.content else { throw problem("a lock file is a mapping with `packages`") }
        var lock = FlowLock()
        guard let packages = pairs.first(where: { $0.key.scalar?.text == "packages" })?.value else { return lock }
        guard case .mapping(let entries) = packages.content else { throw problem("`packages` must be a mapping", packages.mark) }
        for entry in entries {
            guard case .mapping(let fields) = entry.value.content,
                  let registry = fields.first(where: { $0.key.scalar?.text == "registry" })?.value.scalar?.text,
                  let digest = fields.first(where: { $0.key.scalar?.text == "digest" })?.value.scalar?.text,
                  HubReference.isDigest(digest), HubReference.isRegistry(registry) else {
                throw problem("each package needs `registry: HOST[:PORT]` and `digest: sha256:…`", entry.value.mark)
            }
            lock.packages[entry.key.scalar?.text ?? ""] = Entry(registry: registry, digest: digest)
        }
        return lock
    }

    public func text() -> String {
        var lines = [
            "# Written by `jina flow --lock`: the exact package each Hub reference of the Flows in this",
            "# folder runs. Commit it; run `jina flow --lock` again to move to what the tags point at now.",
            "version: 1",
            "packages:",
        ]
        for (reference, entry) in packages.sorted(by: { $0.key < $1.key }) {
            // References and registries hold no quotes or backslashes (HubReference's grammar).
            lines.append("  \"\(reference)\":")
            lines.append("    registry: \"\(entry.registry)\"")
            lines.append("    digest: \(entry.digest)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public func write(_ path: String) throws(HubError) {
        let temporary = path + ".tmp-\(getpid())"
        do {
            try Data(text().utf8).write(to: URL(fileURLWithPath: temporary))
            guard rename(temporary, path) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw HubError(.runtime, "cannot write \(path): \(error.localizedDescription)", hint: "check the folder's permissions")
        }
    }
}
