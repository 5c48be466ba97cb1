import Foundation
import JinaCore
import JinaExport

/// The repository, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
let exportTestsDirectory = repositoryRoot.appendingPathComponent("Tests/JinaExportTests")

/// Every Flow with golden exports: the examples in flows/ and this suite's own Flows/*.yml.
var goldenFlows: [URL] {
    func yamlFiles(_ directory: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".yml") }.sorted().map { directory.appendingPathComponent($0) }
    }
    return yamlFiles(repositoryRoot.appendingPathComponent("flows"))
        + yamlFiles(exportTestsDirectory.appendingPathComponent("Flows"))
}

struct LoadedFlow {
    var flow: Flow
    var options: ExportOptions
}

/// Loads a Flow as `jina export` does, with an empty environment (defaults apply) and
/// paths relative to the repository, as a user running from its root would name them.
func loadExportFlow(_ url: URL, image: String? = "jina:golden") throws -> LoadedFlow {
    let text = try String(contentsOf: url, encoding: .utf8)
    let relative = String(url.path.dropFirst(repositoryRoot.path.count + 1))
    let result = FlowLoader.load(text: text, file: relative, environment: [:])
    guard let flow = result.flow else {
        throw JinaError(.invalidInput, "\(relative) does not load: \(result.diagnostics.items.map(\.message))")
    }
    FileManager.default.changeCurrentDirectoryPath(repositoryRoot.path)
    return LoadedFlow(flow: flow, options: ExportOptions(flowFile: relative, flowText: text, environment: [:], image: image))
}

/// Loads Flow YAML text given inline (for focused tests).
func loadExportFlow(text: String) throws -> LoadedFlow {
    let result = FlowLoader.load(text: text, file: "inline.yml", environment: [:])
    guard let flow = result.flow else {
        throw JinaError(.invalidInput, "does not load: \(result.diagnostics.items.map(\.message))")
    }
    return LoadedFlow(flow: flow, options: ExportOptions(flowFile: nil, flowText: text, environment: [:]))
}
