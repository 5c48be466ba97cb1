import Foundation
import JinaCore
import JinaExport
import Testing

/// Every Flow in flows/ (and Flows/ here) exported to Kubernetes, compose and both graph
/// formats, compared file by file with Golden/<flow>/.
/// `JINA_UPDATE_GOLDEN=1 swift test --filter GoldenExport` rewrites the golden files.
@Suite struct GoldenExportTests {
    static var flowNames: [String] { goldenFlows.map { $0.deletingPathExtension().lastPathComponent } }

    @Test func everyExampleIsCovered() {
        #expect(Self.flowNames.count >= 9)
        #expect(Self.flowNames.contains("hello"))
    }

    @Test(arguments: goldenFlows)
    func exportsMatchGolden(_ url: URL) throws {
        let name = url.deletingPathExtension().lastPathComponent
        let loaded = try loadExportFlow(url)
        var actual: [String: String] = [:]
        for file in try KubernetesExport.files(flow: loaded.flow, options: loaded.options) {
            actual["k8s/" + file.name] = file.text
        }
        for file in try PythonDockerfiles.files(flow: loaded.flow, options: loaded.options) {
            actual["k8s/" + file.name] = file.text
        }
        let compose = try ComposeExport.output(flow: loaded.flow, options: loaded.options, composeFileName: "docker-compose.yml")
        actual["docker-compose.yml"] = compose.composeText
        actual[compose.flowFileName] = compose.flowText
        actual["graph.mmd"] = GraphExport.render(loaded.flow, format: .mermaid)
        actual["graph.dot"] = GraphExport.render(loaded.flow, format: .dot)

        let directory = exportTestsDirectory.appendingPathComponent("Golden/\(name)")
        if ProcessInfo.processInfo.environment["JINA_UPDATE_GOLDEN"] == "1" {
            try? FileManager.default.removeItem(at: directory)
            for (path, text) in actual {
                let target = directory.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                try text.write(to: target, atomically: true, encoding: .utf8)
            }
        }
        var expected: [String: String] = [:]
        let enumerator = FileManager.default.enumerator(atPath: directory.path)
        while let path = enumerator?.nextObject() as? String {
            let full = directory.appendingPathComponent(path)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: full.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                expected[path] = try String(contentsOf: full, encoding: .utf8)
            }
        }
        #expect(Set(actual.keys) == Set(expected.keys), "\(name): files differ")
        for (path, text) in actual.sorted(by: { $0.key < $1.key }) {
            #expect(text == expected[path], "\(name)/\(path) differs from its golden file")
        }
    }
}
