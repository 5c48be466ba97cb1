import ArgumentParser
import Foundation
import JinaCore
import JinaHub

/// `jina hub pull REF`: a package into the local cache.
struct HubPullCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Pull a package into the local cache (digests checked); print its reference and folder.",
        discussion: """
            REF is [HOST[:PORT]/]NAMESPACE/NAME[:TAG|@sha256:…]. Standard output gets two lines: \
            REGISTRY/NAMESPACE/NAME:TAG@sha256:… and the folder holding the package's files. With \
            --output, the files are also copied to DIR (what a Kubernetes init step uses).

            \(ExitStatus.helpText)
            """)

    @Argument(help: ArgumentHelp("The package reference.", valueName: "REF"))
    var reference: String

    @Option(name: .long, help: ArgumentHelp("Also copy the package's files into this folder (created; must be empty if it exists).", valueName: "DIR"))
    var output: String?

    @OptionGroup(title: "Registry access")
    var access: HubRegistryOptions

    func run() async throws {
        let hub = try access.hub()
        let reference = try HubRegistryOptions.reference(reference)
        let record = try await hub.pull(reference)
        let files = hub.cache.filesFolder(record.digest)
        if let output { try HubCopy.files(from: files, to: output, expected: record.files) }
        print(record.reference)
        print(output ?? files)
    }
}

/// Copies a cached package's files to a folder of the user's.
enum HubCopy {
    /// A target already holding exactly `expected` (a restarted init step) is left as it is.
    static func files(from source: String, to target: String, expected: [String: String]) throws(HubError) {
        let manager = FileManager.default
        if let existing = try? manager.contentsOfDirectory(atPath: target), !existing.isEmpty {
            let present = expected.allSatisfy { path, digest in Digest.ofFile(target + "/" + path) == digest }
            if present, let walk = manager.enumerator(atPath: target),
               walk.allObjects.compactMap({ $0 as? String }).allSatisfy({ path in
                   var isDirectory: ObjCBool = false
                   _ = manager.fileExists(atPath: target + "/" + path, isDirectory: &isDirectory)
                   return isDirectory.boolValue || expected[path] != nil
               }) {
                return
            }
            throw HubError(.invalidInput, "--output \(target) is not empty (and does not hold this package)", hint: "name a new or empty folder")
        }
        do {
            try manager.createDirectory(atPath: target, withIntermediateDirectories: true)
            for name in try manager.contentsOfDirectory(atPath: source) {
                try manager.copyItem(atPath: source + "/" + name, toPath: target + "/" + name)
            }
        } catch {
            throw HubError(.runtime, "cannot copy the package into \(target): \(error.localizedDescription)")
        }
    }
}
