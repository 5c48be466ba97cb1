import Foundation
@testable import JinaHub
import Testing

/// A scratch folder removed at the end of each test.
final class Scratch {
    let path: String
    init() throws {
        path = NSTemporaryDirectory() + "/jina-hub-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    func write(_ relative: String, _ text: String, mode: Int = 0o644) throws {
        let file = path + "/" + relative
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file)
    }
}

@Suite struct PackageTests {
    @Test func manifestKeysAndErrorsNameTheFile() throws {
        let manifest = try PackageManifest.parse("name: enc\nversion: 1.2.0\nkeywords: [a, b]\nurl: https://x\n", place: "m.yml")
        #expect(manifest == PackageManifest(name: "enc", version: "1.2.0", keywords: ["a", "b"], url: "https://x"))
        #expect(throws: HubError(.invalidInput, "m.yml: `name` is missing",
                                 hint: "add `name: MyExecutor` (letters, digits, `.`, `_`, `-`)")) {
            try PackageManifest.parse("version: 1\n", place: "m.yml")
        }
        #expect(throws: HubError.self) { try PackageManifest.parse("name: a b\n", place: "m.yml") }
        #expect(throws: HubError.self) { try PackageManifest.parse("name: a\nkind: program\n", place: "m.yml") }
        #expect(throws: HubError.self) { try PackageManifest.parse("name: a\nkind: docker\n", place: "m.yml") }
        do {
            _ = try PackageManifest.parse("name: a\nversion: 1 0\n", place: "m.yml")
            Issue.record("a version with a space parsed")
        } catch {
            #expect(error.summary.hasPrefix("m.yml:2:10:"))
        }
    }

    @Test func everyTemplatePacksAndUnpacksToTheSameFilesWithAStableDigest() throws {
        for kind in [PackageManifest.Kind.python, .program] {
            let scratch = try Scratch()
            for file in PackageTemplate.files(name: "my-exec", kind: kind) { try scratch.write(file.path, file.contents) }
            if kind == .program {
                // An x86-64 ELF header is all the check reads.
                var elf = [UInt8](repeating: 0, count: 64)
                elf[0...5] = [0x7f, 0x45, 0x4c, 0x46, 2, 1]
                elf[18] = 62
                try FileManager.default.createDirectory(atPath: scratch.path + "/bin", withIntermediateDirectories: true)
                FileManager.default.createFile(atPath: scratch.path + "/bin/my-exec", contents: Data(elf), attributes: [.posixPermissions: 0o755])
            }
            let folder = try PackageFolder.load(scratch.path)
            #expect(folder.manifest.kind == kind)
            let artifact = try PackageArtifact.pack(folder)
            #expect(try PackageArtifact.pack(PackageFolder.load(scratch.path)).digest == artifact.digest)
            #expect(artifact.manifest.artifactType == OCIMediaType.package)
            #expect(artifact.manifest.annotations?[OCIMediaType.kindAnnotation] == kind.rawValue)
            let files = try PackageArtifact.files(of: artifact.manifest) { descriptor in artifact.blobs[descriptor.digest]! }
            #expect(files == folder.entries)
        }
    }

    @Test func aProgramMustBeAnExecutableX86_64Program() throws {
        let scratch = try Scratch()
        try scratch.write("manifest.yml", "name: p\nkind: program\nexecutable: run\n")
        try scratch.write("run", "#!/bin/sh\necho hi\n", mode: 0o755)
        #expect(throws: HubError.self) { try PackageFolder.load(scratch.path) }
        try scratch.write("run", "#!/bin/sh\n", mode: 0o644)
        #expect(throws: HubError.self) { try PackageFolder.load(scratch.path) }
        // The test binary itself is one (this suite runs on linux-x86_64).
        #if os(Linux) && arch(x86_64)
        try FileManager.default.removeItem(atPath: scratch.path + "/run")
        try FileManager.default.copyItem(atPath: "/proc/self/exe", toPath: scratch.path + "/run")
        #expect(try PackageFolder.load(scratch.path).manifest.kind == .program)
        #endif
    }

    @Test func aPythonPackageNeedsConfigWithJtype() throws {
        let scratch = try Scratch()
        try scratch.write("manifest.yml", "name: p\n")
        #expect(throws: HubError.self) { try PackageFolder.load(scratch.path) }
        try scratch.write("config.yml", "with: {}\n")
        #expect(throws: HubError.self) { try PackageFolder.load(scratch.path) }
        try scratch.write("config.yml", "jtype: P\n")
        try scratch.write("__pycache__/x.pyc", "junk")
        try scratch.write(".git/HEAD", "ref")
        #expect(try PackageFolder.load(scratch.path).entries.map(\.path) == ["config.yml", "manifest.yml"])
    }

    /// `oras push DIR`: a tar+gzip layer titled with the folder's name and no annotations of ours.
    @Test func anOrasFolderLayerUnpacksWithoutItsTopFolder() throws {
        let tar = TarArchive.write([
            TarArchive.Entry(path: "exec", kind: .directory, mode: 0o755),
            TarArchive.Entry(path: "exec/manifest.yml", kind: .file, mode: 0o644, contents: Array("name: e\n".utf8)),
        ])
        var buffer = try PackageArtifact.gzip(tar)
        let layer = OCIDescriptor(mediaType: OCIMediaType.tarGzipLayer, digest: Digest.of(buffer), size: buffer.count,
                                  annotations: [OCIMediaType.titleAnnotation: "exec"])
        let single = OCIDescriptor(mediaType: "text/plain", digest: Digest.of(Data("x".utf8)), size: 1,
                                   annotations: [OCIMediaType.titleAnnotation: "notes.txt"])
        let manifest = OCIManifest(artifactType: nil, config: layer, layers: [layer, single], annotations: nil)
        let files = try PackageArtifact.files(of: manifest) { $0.digest == layer.digest ? buffer : Data("x".utf8) }
        #expect(files.map(\.path) == ["manifest.yml", "notes.txt"])
        buffer[buffer.count - 12] ^= 0xff  // the gzip trailer's CRC
        #expect(throws: HubError.self) { try PackageArtifact.files(of: manifest) { _ in buffer } }
    }
}
