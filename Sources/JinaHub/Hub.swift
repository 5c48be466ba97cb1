import Foundation
import JinaCore

/// Push and pull of packages between folders, the local cache and registries.
///
/// The registry of a reference that names none is `JINA_HUB_REGISTRY`. Credentials, first
/// found wins: the command line's, `JINA_HUB_USERNAME`/`JINA_HUB_PASSWORD`, the Docker
/// config's entry for the registry. Plain HTTP (`--insecure`, or `JINA_HUB_INSECURE=1`) is
/// for registries on this machine only.
public struct Hub: Sendable {
    public var cache: HubCache
    public var defaultRegistry: String?
    public var insecure: Bool
    public var credentials: RegistryCredentials?
    var environment: [String: String]
    /// Progress lines (to standard error in the command line).
    public var progress: @Sendable (String) -> Void

    public init(environment: [String: String], insecure: Bool = false, credentials: RegistryCredentials? = nil,
                progress: @escaping @Sendable (String) -> Void = { _ in }) {
        self.environment = environment
        self.cache = HubCache.default(environment: environment)
        self.defaultRegistry = environment["JINA_HUB_REGISTRY"].flatMap { $0.isEmpty ? nil : $0 }
        self.insecure = insecure || ["1", "true", "yes"].contains(environment["JINA_HUB_INSECURE"]?.lowercased() ?? "")
        self.credentials = credentials
        self.progress = progress
    }

    /// The registry `reference` lives on.
    public func registry(of reference: HubReference) throws(HubError) -> String {
        if let registry = reference.registry ?? defaultRegistry {
            guard HubReference.isRegistry(registry) else {
                throw HubError(.invalidInput, "JINA_HUB_REGISTRY=\(registry) is not a registry HOST[:PORT]")
            }
            return registry
        }
        throw HubError(.invalidInput, "\(reference) names no registry and JINA_HUB_REGISTRY is not set",
                       hint: "write it as HOST[:PORT]/\(reference.namespace)/\(reference.name), or export JINA_HUB_REGISTRY=HOST[:PORT]")
    }

    public func client(for registry: String) throws(HubError) -> RegistryClient {
        var credentials = self.credentials
        if credentials == nil, let user = environment["JINA_HUB_USERNAME"], let password = environment["JINA_HUB_PASSWORD"] {
            credentials = RegistryCredentials(username: user, password: password)
        }
        if credentials == nil {
            credentials = RegistryCredentials.fromDockerConfig(registry: registry, environment: environment)
        }
        return try RegistryClient(registry: registry, insecure: insecure, credentials: credentials)
    }

    // MARK: Push

    /// Packs `folder` and pushes it as `NS/NAME:TAG` (the name from manifest.yml, the tag
    /// defaulting to its `version`, else `latest`); the package also goes into the cache.
    /// Returns the pushed reference with its digest.
    public func push(_ folder: PackageFolder, registry: String, namespace: String, tag: String?) async throws(HubError) -> HubReference {
        guard HubReference.isComponent(namespace) else {
            throw HubError(.invalidInput, "`\(namespace)` is not a valid namespace",
                           hint: "use letters and digits, joined by single `.`, `_` or `-`")
        }
        let tag = tag ?? folder.manifest.version ?? "latest"
        guard HubReference.isTag(tag) else {
            throw HubError(.invalidInput, "`\(tag)` is not a valid tag", hint: "use letters, digits, `_`, `.` and `-`")
        }
        let artifact = try PackageArtifact.pack(folder)
        // As the registry stores it: lower case.
        var reference = HubReference(registry: registry, namespace: namespace.lowercased(), name: folder.manifest.name.lowercased(), tag: tag)
        let repository = reference.repository
        let client = try client(for: registry)
        for (digest, data) in artifact.blobs.sorted(by: { $0.key < $1.key }) {
            if try await client.hasBlob(repository, digest: digest) {
                progress("\(digest): already on \(registry)")
                continue
            }
            if let source = mountSource(digest, registry: registry, except: repository),
               try await client.mountBlob(repository, digest: digest, from: source) {
                progress("\(digest): mounted from \(source)")
                continue
            }
            progress("\(digest): uploading \(data.count) bytes")
            try await client.uploadBlob(repository, digest: digest, data: data, progress: progress)
        }
        let digest = try await client.putManifest(repository, tag: tag, data: artifact.manifestData, mediaType: OCIMediaType.manifest)
        reference.digest = digest
        // The pushed package is also in the cache: a Flow can use it at once, offline.
        try cache.storeBlob(artifact.manifestData, digest: digest)
        for (blobDigest, data) in artifact.blobs { try cache.storeBlob(data, digest: blobDigest) }
        try cache.install(record(registry: registry, repository: repository, tag: tag, digest: digest,
                                 manifest: artifact.manifest, package: folder.manifest, files: folder.entries), files: folder.entries)
        try cache.setTag(registry: registry, repository: repository, tag: tag, digest: digest)
        return reference
    }

    /// Another repository of the same registry that the cache knows holds `digest`.
    private func mountSource(_ digest: String, registry: String, except repository: String) -> String? {
        cache.all().first { $0.registry == registry && $0.repository != repository && $0.blobs.contains(digest) }?.repository
    }

    // MARK: Pull

    /// Pulls `reference` (by digest when it has one, else by tag) into the cache unless the
    /// cache already holds that digest undamaged; returns the cached package.
    @discardableResult
    public func pull(_ reference: HubReference) async throws(HubError) -> PackageRecord {
        let registry = try registry(of: reference)
        let client = try client(for: registry)
        let target = reference.digest ?? reference.effectiveTag
        guard let (data, digest) = try await client.manifest(reference.repository, reference: target) else {
            throw HubError(.runtime, "\(reference.on(registry: registry)): not found on \(registry)",
                           hint: "check the namespace, name and tag; `jina hub push` publishes a package")
        }
        if let record = cache.record(digest), cache.damage(digest) == nil {
            if reference.digest == nil {
                try cache.setTag(registry: registry, repository: reference.repository, tag: reference.effectiveTag, digest: digest)
            }
            return record
        }
        if let damage = cache.record(digest).flatMap({ _ in cache.damage(digest) }) {
            progress("cached \(reference.repository)@\(digest) is damaged (\(damage)); pulling it again")
        }
        guard let manifest = OCIManifest.decode(data), !manifest.layers.isEmpty else {
            throw HubError(.runtime, "\(reference.on(registry: registry)) is not a jina package (its manifest has no layers, or is an index of images)",
                           hint: "push packages with `jina hub push`; container images are used as `jinaai+docker://`")
        }
        // A container image (its config is an image config, its layers untitled) is not
        // downloaded at all: it could be gigabytes of root file system.
        if ["application/vnd.oci.image.config.v1+json", "application/vnd.docker.container.image.v1+json"].contains(manifest.config.mediaType),
           manifest.layers.allSatisfy({ $0.annotations?[OCIMediaType.titleAnnotation] == nil }) {
            throw HubError(.runtime, "\(reference.on(registry: registry)) is a container image, not a jina package",
                           hint: "run images with `uses: jinaai+docker://…` in an exported Flow; packages are pushed with `jina hub push`")
        }
        try cache.storeBlob(data, digest: digest)
        for descriptor in [manifest.config] + manifest.layers where cache.verifiedBlob(descriptor.digest) == nil {
            progress("\(descriptor.digest): downloading \(descriptor.size) bytes")
            guard let blob = try await client.blob(reference.repository, digest: descriptor.digest, limit: descriptor.size + 1) else {
                throw HubError(.runtime, "\(registry) lists blob \(descriptor.digest) of \(reference.repository) but does not have it")
            }
            try cache.storeBlob(blob, digest: descriptor.digest)
        }
        let files = try PackageArtifact.files(of: manifest) { (descriptor) throws(HubError) -> Data in
            guard let blob = cache.verifiedBlob(descriptor.digest) else {
                throw HubError(.runtime, "blob \(descriptor.digest) vanished from the cache while unpacking")
            }
            return blob
        }
        guard let manifestFile = files.first(where: { $0.path == PackageManifest.fileName && $0.kind == .file }) else {
            throw HubError(.runtime, "\(reference.on(registry: registry)) is not a jina package: it has no manifest.yml",
                           hint: "a package folder holds manifest.yml (and config.yml or a program); see docs/hub.md")
        }
        let package = try PackageManifest.parse(String(decoding: manifestFile.contents, as: UTF8.self),
                                                place: "\(reference.repository)@\(digest):manifest.yml")
        let record = record(registry: registry, repository: reference.repository, tag: reference.digest == nil ? reference.effectiveTag : reference.tag,
                            digest: digest, manifest: manifest, package: package, files: files)
        try cache.install(record, files: files)
        if reference.digest == nil {
            try cache.setTag(registry: registry, repository: reference.repository, tag: reference.effectiveTag, digest: digest)
        }
        return record
    }

    private func record(registry: String, repository: String, tag: String?, digest: String, manifest: OCIManifest,
                        package: PackageManifest, files: [TarArchive.Entry]) -> PackageRecord {
        var digests: [String: String] = [:]
        for entry in files where entry.kind == .file { digests[entry.path] = Digest.of(entry.contents) }
        return PackageRecord(registry: registry, repository: repository, tag: tag, digest: digest,
                             blobs: [manifest.config.digest] + manifest.layers.map(\.digest), manifest: package,
                             size: manifest.layers.reduce(0) { $0 + $1.size }, files: digests, pulled: Date())
    }

    // MARK: The cache, offline

    /// The cached package `reference` means without asking the registry: its digest, or the
    /// digest its tag had at the last pull; nil when there is none or it is damaged
    /// (`damage` then says why).
    public func cached(_ reference: HubReference) throws(HubError) -> (record: PackageRecord?, damage: String?) {
        let registry = try registry(of: reference)
        guard let digest = reference.digest
                ?? cache.tagged(registry: registry, repository: reference.repository, tag: reference.effectiveTag) else {
            return (nil, nil)
        }
        guard let record = cache.record(digest) else { return (nil, nil) }
        if let damage = cache.damage(digest) { return (nil, damage) }
        return (record, nil)
    }
}
