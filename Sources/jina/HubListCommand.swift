import ArgumentParser
import Foundation
import JinaHub

/// `jina hub list`: the packages in the local cache.
struct HubListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the packages in the local Hub cache (JINA_HUB_CACHE, else ~/.cache/jina/hub).")

    @Flag(name: .long, help: "Print one JSON array instead of a table.")
    var json = false

    func run() throws {
        let hub = Hub(environment: ProcessInfo.processInfo.environment)
        let records = hub.cache.all()
        if json {
            print(String(decoding: try HubInspectCommand.encoder.encode(records), as: UTF8.self))
            return
        }
        guard !records.isEmpty else {
            FileHandle.standardError.write(Data("no packages in \(hub.cache.root); `jina hub pull REF` adds one\n".utf8))
            return
        }
        let rows = [["REFERENCE", "KIND", "VERSION", "SIZE", "DIGEST"]] + records.map { record in
            ["\(record.registry)/\(record.repository)" + (record.tag.map { ":" + $0 } ?? ""), record.manifest.kind.rawValue,
             record.manifest.version ?? "-", HubInspectCommand.size(record.size), record.digest]
        }
        let widths = (0..<5).map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            print(zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces))
        }
    }
}
