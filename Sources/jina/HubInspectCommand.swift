import ArgumentParser
import Foundation
import JinaCore
import JinaHub

/// `jina hub inspect REF`: what a package is and holds.
struct HubInspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show a package's manifest, files, size and digest (pulled into the cache first if it is not there).",
        discussion: ExitStatus.helpText)

    @Argument(help: ArgumentHelp("The package reference, [HOST[:PORT]/]NAMESPACE/NAME[:TAG|@sha256:…].", valueName: "REF"))
    var reference: String

    @Flag(name: .long, help: "Print the cache's record of the package as JSON.")
    var json = false

    @Flag(name: .long, help: "Only look in the cache; fail when the package is not there.")
    var offline = false

    @OptionGroup(title: "Registry access")
    var access: HubRegistryOptions

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    func run() async throws {
        let hub = try access.hub()
        let reference = try HubRegistryOptions.reference(reference)
        let (cached, damage) = try hub.cached(reference)
        let record: PackageRecord
        if let cached {
            record = cached
        } else if offline {
            throw HubError(.runtime, "\(reference.on(registry: try hub.registry(of: reference))) is not in the Hub cache"
                           + (damage.map { " undamaged (the cached copy: \($0))" } ?? ""), hint: "drop --offline to pull it")
        } else {
            record = try await hub.pull(reference)
        }
        if json {
            print(String(decoding: try Self.encoder.encode(record), as: UTF8.self))
            return
        }
        let manifest = record.manifest
        var lines = [
            "reference:   \(record.reference)",
            "name:        \(manifest.name)",
            "version:     \(manifest.version ?? "-")",
            "kind:        \(manifest.kind.rawValue)" + (manifest.executable.map { " (\($0), \(manifest.platform ?? "linux/amd64"))" } ?? ""),
        ]
        if let description = manifest.description { lines.append("description: \(description)") }
        if !manifest.keywords.isEmpty { lines.append("keywords:    \(manifest.keywords.joined(separator: ", "))") }
        if let url = manifest.url { lines.append("url:         \(url)") }
        let folder = hub.cache.filesFolder(record.digest)
        let sizes = record.files.keys.map { path in
            (path, (try? FileManager.default.attributesOfItem(atPath: folder + "/" + path)[.size] as? Int) ?? 0)
        }
        lines.append("size:        \(Self.size(record.size)) in the registry, \(Self.size(sizes.reduce(0) { $0 + $1.1 })) unpacked")
        lines.append("folder:      \(folder)")
        lines.append("files:")
        for (path, size) in sizes.sorted(by: { $0.0 < $1.0 }) {
            lines.append("  \(path)  \(Self.size(size))  \(record.files[path] ?? "")")
        }
        print(lines.joined(separator: "\n"))
    }

    static func size(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        if bytes < 1 << 20 { return String(format: "%.1f KiB", Double(bytes) / 1024) }
        if bytes < 1 << 30 { return String(format: "%.1f MiB", Double(bytes) / Double(1 << 20)) }
        return String(format: "%.2f GiB", Double(bytes) / Double(1 << 30))
    }
}
