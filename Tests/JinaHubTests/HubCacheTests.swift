import Foundation
import JinaCore
@testable import JinaHub
import Testing

@Suite struct HubCacheTests {
    /// A package installed the way a pull installs it, from a packed template.
    func installed(in scratch: Scratch) throws -> (HubCache, PackageRecord) {
        let source = try Scratch()
        for file in PackageTemplate.files(name: "enc", kind: .python) { try source.write(file.path, file.contents) }
        let folder = try PackageFolder.load(source.path)
        let artifact = try PackageArtifact.pack(folder)
        let cache = HubCache(root: scratch.path + "/cache")
        try cache.storeBlob(artifact.manifestData, digest: artifact.digest)
        for (digest, data) in artifact.blobs { try cache.storeBlob(data, digest: digest) }
        var files: [String: String] = [:]
        for entry in folder.entries where entry.kind == .file { files[entry.path] = Digest.of(entry.contents) }
        let record = PackageRecord(registry: "r.example", repository: "team/enc", tag: "1", digest: artifact.digest,
                                   blobs: artifact.blobs.keys.sorted(), manifest: folder.manifest, size: 1, files: files,
                                   pulled: Date())
        try cache.install(record, files: folder.entries)
        try cache.setTag(registry: "r.example", repository: "team/enc", tag: "1", digest: artifact.digest)
        return (cache, record)
    }

    @Test func anInstalledPackageIsFoundByTagAndDigestAndListed() throws {
        let scratch = try Scratch()
        let (cache, record) = try installed(in: scratch)
        #expect(cache.damage(record.digest) == nil)
        #expect(cache.tagged(registry: "r.example", repository: "team/enc", tag: "1") == record.digest)
        #expect(cache.all().map(\.digest) == [record.digest])
        #expect(FileManager.default.isExecutableFile(atPath: cache.filesFolder(record.digest) + "/executor.py") == false)
        let hub = Hub(environment: ["JINA_HUB_CACHE": cache.root, "JINA_HUB_REGISTRY": "r.example"])
        #expect(try hub.cached(HubReference(namespace: "team", name: "enc", tag: "1")).record?.digest == record.digest)
        #expect(try hub.cached(HubReference(namespace: "team", name: "enc", tag: "2")).record == nil)
    }

    @Test func aChangedBlobOrFileOrAMissingFileIsDamage() throws {
        for target in ["blob", "file", "missing"] {
            let scratch = try Scratch()
            let (cache, record) = try installed(in: scratch)
            switch target {
            case "blob":
                let path = cache.blobPath(record.blobs[0])
                try Data("tampered".utf8).write(to: URL(fileURLWithPath: path))
            case "file":
                try Data("print('evil')".utf8).write(to: URL(fileURLWithPath: cache.filesFolder(record.digest) + "/executor.py"))
            default:
                try FileManager.default.removeItem(atPath: cache.filesFolder(record.digest) + "/config.yml")
            }
            let damage = try #require(cache.damage(record.digest))
            #expect(damage.contains(target == "blob" ? "no longer has its digest" : target == "file" ? "was changed" : "missing"))
            let hub = Hub(environment: ["JINA_HUB_CACHE": cache.root, "JINA_HUB_REGISTRY": "r.example"])
            let (found, reason) = try hub.cached(HubReference(namespace: "team", name: "enc", tag: "1"))
            #expect(found == nil && reason == damage)
        }
    }

    @Test func theCacheFolderFollowsTheEnvironment() {
        #expect(HubCache.default(environment: ["JINA_HUB_CACHE": "/x"]).root == "/x")
        #expect(HubCache.default(environment: ["XDG_CACHE_HOME": "/c", "HOME": "/h"]).root == "/c/jina/hub")
        #expect(HubCache.default(environment: ["HOME": "/h"]).root == "/h/.cache/jina/hub")
    }
}

@Suite struct FlowLockTests {
    @Test func writesAndReadsBack() throws {
        let scratch = try Scratch()
        let digest = "sha256:" + String(repeating: "0f", count: 32)
        let lock = FlowLock(packages: ["jinaai://team/enc:1": .init(registry: "127.0.0.1:5000", digest: digest),
                                       "jinaai://jinahub/Indexer:v2": .init(registry: "r.example", digest: digest)])
        let path = FlowLock.path(in: scratch.path)
        try lock.write(path)
        #expect(try FlowLock.load(path) == lock)
        #expect(try FlowLock.load(scratch.path + "/none.lock") == nil)
    }

    @Test func aMalformedLockNamesItsLine() throws {
        let scratch = try Scratch()
        try scratch.write("flow.lock", "version: 1\npackages:\n  jinaai://a/b:\n    registry: r\n    digest: nope\n")
        do {
            _ = try FlowLock.load(scratch.path + "/flow.lock")
            Issue.record("a bad digest loaded")
        } catch {
            #expect(error.summary.contains("flow.lock:4:5:"))
        }
    }
}

@Suite struct RegistryClientTests {
    @Test func challengeParameters() {
        let parameters = RegistryClient.challengeParameters(
            #" realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull,push""#)
        #expect(parameters == ["realm": "https://auth.example/token", "service": "registry.example",
                               "scope": "repository:a/b:pull,push"])
    }

    @Test func plainHTTPOnlyOnThisMachine() {
        for host in ["127.0.0.1:5000", "localhost", "[::1]:80", "127.1.2.3"] { #expect(RegistryClient.isLoopback(host)) }
        for host in ["registry.example.com", "10.0.0.1:5000", "localhost.evil.com"] { #expect(!RegistryClient.isLoopback(host)) }
        #expect(throws: HubError.self) { try RegistryClient(registry: "registry.example.com", insecure: true, credentials: nil) }
    }

    @Test func dockerConfigCredentials() throws {
        let scratch = try Scratch()
        let auth = Data("bob:pa:ss".utf8).base64EncodedString()
        try scratch.write("config.json", #"{"auths": {"r.example:5000": {"auth": "\#(auth)"}, "https://other": {"username": "u", "password": "p"}}}"#)
        let environment = ["DOCKER_CONFIG": scratch.path]
        #expect(RegistryCredentials.fromDockerConfig(registry: "r.example:5000", environment: environment)
                == RegistryCredentials(username: "bob", password: "pa:ss"))
        #expect(RegistryCredentials.fromDockerConfig(registry: "other", environment: environment)
                == RegistryCredentials(username: "u", password: "p"))
        #expect(RegistryCredentials.fromDockerConfig(registry: "third", environment: environment) == nil)
    }
}
