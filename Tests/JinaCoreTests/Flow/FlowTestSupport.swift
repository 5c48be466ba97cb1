import Foundation
import JinaCore
import JinaYAML
import Testing

/// Environment every Flow test loads with (golden files use these variables).
let flowTestEnvironment = ["JINA_TEST_REPLICAS": "2", "JINA_TEST_NAME": "from_env", "JINA_TEST_PROTOCOL": "http"]

/// Loads Flow YAML text with the test environment.
func loadFlow(_ text: String, environment: [String: String] = flowTestEnvironment) -> FlowLoadResult {
    FlowLoader.load(text: text, file: "test.yml", environment: environment)
}

/// Loads text that must be a valid Flow; records the problems otherwise.
func validFlow(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Flow {
    let result = loadFlow(text)
    #expect(!result.diagnostics.hasErrors, "\(renderedDiagnostics(result.diagnostics))", sourceLocation: sourceLocation)
    return try #require(result.flow, sourceLocation: sourceLocation)
}

/// `LINE:COL: error: message` lines (plus `  hint: …`), or `error: message` without a position.
func renderedDiagnostics(_ diagnostics: FlowDiagnostics) -> String {
    diagnostics.items.map { item in
        let location = item.mark.map { "\($0.line):\($0.column): " } ?? ""
        var line = "\(location)\(item.severity.rawValue): \(item.message)"
        if let hint = item.hint { line += "\n  hint: \(hint)" }
        return line
    }.joined(separator: "\n")
}

/// The messages of the errors of `text`, in order.
func errorMessages(_ text: String) -> [String] {
    loadFlow(text).diagnostics.errors.map(\.message)
}

/// The repository's root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// `Tests/JinaCoreTests/Golden` in the source tree (golden files are regenerated there).
let goldenSourceDirectory = repositoryRoot.appendingPathComponent("Tests/JinaCoreTests/Golden")
