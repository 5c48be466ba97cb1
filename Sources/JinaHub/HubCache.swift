import Foundation
import JinaCore

/// The local, content-addressed store of pulled packages (`JINA_HUB_CACHE`, else
/// `$XDG_CACHE_HOME/jina/hub`, else `~/.cache/jina/hub`):
///
/// ```
/// blobs/sha256/HEX             manifests, configs and layers, stored only once their digest checks
/// packages/HEX/files/…          the unpacked files of manifest sha256:HEX
/// packages/HEX/package.json     what the package is (PackageRecord), with every file's digest
/// refs/REGISTRY/NS/NAME/TAG     the digest a tag had when it was last pulled
/// ```
///
/// Every write goes to a temporary name in the same file system and is renamed into place, so
/// a crash leaves either the old entry or the new one. Using an entry re-checks every blob and
/// file against its digest (`verify`): a damaged entry is pulled again.
public struct HubCache: Sendable {
    public var root: String

    public init(root: String) { self.root = root }

    public static func `default`(environment: [String: String]) -> HubCache {
        if let path = environment["JINA_HUB_CACHE"], !path.isEmpty { return HubCache(root: path) }
        let cache = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.cache")
        return HubCache(root: cache + "/jina/hub")
    }

    func blobPath(_ digest: String) -> String { root + "/blobs/sha256/" + Digest.hex(digest) }
    public func packageFolder(_ digest: String) -> String { root + "/packages/" + Digest.hex(digest) }
    public func filesFolder(_ digest: String) -> String { packageFolder(digest) + "/files" }
    func recordPath(_ digest: String) -> String { packageFolder(digest) + "/package.json" }
    func tagPath(registry: String, repository: String, tag: String) -> String {
        root + "/refs/\(registry)/\(repository)/\(tag)"
    }

    // MARK: Blobs

    /// Stores bytes whose digest the caller checked.
    func storeBlob(_ data: Data, digest: String) throws(HubError) {
        try atomicWrite(data, to: blobPath(digest))
    }

    /// A stored blob, if it is there and still has its digest.
    func verifiedBlob(_ digest: String) -> Data? {
        guard let data = FileManager.default.contents(atPath: blobPath(digest)), Digest.of(data) == digest else { return nil }
        return data
    }

    // MARK: Packages

    /// Installs the files of a pulled package (its blobs already stored) and its record.
    func install(_ record: PackageRecord, files: [TarArchive.Entry]) throws(HubError) {
        let staging = root + "/tmp/" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: staging) }
        do {
            try FileManager.default.createDirectory(atPath: staging + "/files", withIntermediateDirectories: true)
            for entry in files {
                let path = staging + "/files/" + entry.path
                switch entry.kind {
                case .directory:
                    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
                case .file:
                    try FileManager.default.createDirectory(
                        atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                    guard FileManager.default.createFile(atPath: path, contents: Data(entry.contents),
                                                         attributes: [.posixPermissions: entry.mode]) else {
                        throw CocoaError(.fileWriteUnknown)
                    }
                }
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            try encoder.encode(record).write(to: URL(fileURLWithPath: staging + "/package.json"))
            let target = packageFolder(record.digest)
            try FileManager.default.createDirectory(atPath: root + "/packages", withIntermediateDirectories: true)
            if FileManager.default.fileExists(atPath: target) {
                // A damaged earlier copy: move it aside first, so the rename below is atomic.
                let old = root + "/tmp/" + UUID().uuidString
                try FileManager.default.moveItem(atPath: target, toPath: old)
                try? FileManager.default.removeItem(atPath: old)
            }
            do {
                try FileManager.default.moveItem(atPath: staging, toPath: target)
            } catch where self.record(record.digest) != nil && damage(record.digest) == nil {
                // Another process installed the same package meanwhile: content-addressed, so it is this one.
            }
        } catch {
            throw HubError(.runtime, "cannot write the Hub cache at \(root): \(error.localizedDescription)",
                           hint: "check free space and permissions, or set JINA_HUB_CACHE to another folder")
        }
    }

    public func record(_ digest: String) -> PackageRecord? {
        guard let data = FileManager.default.contents(atPath: recordPath(digest)) else { return nil }
        return try? JSONDecoder().decode(PackageRecord.self, from: data)
    }

    /// Why the cached package `digest` cannot be used as it is, or nil when every blob and
    /// file still has its digest.
    public func damage(_ digest: String) -> String? {
        guard let record = record(digest) else { return "its record package.json is missing or unreadable" }
        for blob in [digest] + record.blobs where verifiedBlob(blob) == nil {
            return FileManager.default.fileExists(atPath: blobPath(blob))
                ? "blob \(blob) no longer has its digest" : "blob \(blob) is missing"
        }
        for (path, fileDigest) in record.files {
            let full = filesFolder(digest) + "/" + path
            guard let actual = Digest.ofFile(full) else { return "file \(path) is missing" }
            if actual != fileDigest { return "file \(path) was changed" }
        }
        return nil
    }

    /// Records that `tag` pointed at `digest`.
    func setTag(registry: String, repository: String, tag: String, digest: String) throws(HubError) {
        try atomicWrite(Data(digest.utf8), to: tagPath(registry: registry, repository: repository, tag: tag))
    }

    /// The digest a tag had at its last pull.
    public func tagged(registry: String, repository: String, tag: String) -> String? {
        guard let data = FileManager.default.contents(atPath: tagPath(registry: registry, repository: repository, tag: tag)) else {
            return nil
        }
        let digest = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return HubReference.isDigest(digest) ? digest : nil
    }

    /// Every package in the cache, by registry, repository and tag.
    public func all() -> [PackageRecord] {
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: root + "/packages")) ?? []
        return folders.compactMap { record("sha256:" + $0) }
            .sorted { ($0.registry, $0.repository, $0.tag ?? "", $0.digest) < ($1.registry, $1.repository, $1.tag ?? "", $1.digest) }
    }

    private func atomicWrite(_ data: Data, to path: String) throws(HubError) {
        do {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: root + "/tmp", withIntermediateDirectories: true)
            let temporary = root + "/tmp/" + UUID().uuidString
            try data.write(to: URL(fileURLWithPath: temporary))
            if rename(temporary, path) != 0 {
                let code = errno
                try? FileManager.default.removeItem(atPath: temporary)
                throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
            }
        } catch {
            throw HubError(.runtime, "cannot write the Hub cache at \(root): \(error.localizedDescription)",
                           hint: "check free space and permissions, or set JINA_HUB_CACHE to another folder")
        }
    }
}

/// What the cache knows of one pulled package.
public struct PackageRecord: Codable, Equatable, Sendable {
    public var registry: String
    public var repository: String
    /// The tag it was pulled by, if any.
    public var tag: String?
    public var digest: String
    /// Config and layer digests.
    public var blobs: [String]
    public var manifest: PackageManifest
    /// Sum of the layer sizes (compressed), as the registry stores them.
    public var size: Int
    /// Every unpacked file's digest, by relative path.
    public var files: [String: String]
    public var pulled: Date

    /// `REGISTRY/NS/NAME:TAG@DIGEST`.
    public var reference: String {
        "\(registry)/\(repository)" + (tag.map { ":" + $0 } ?? "") + "@" + digest
    }
}
