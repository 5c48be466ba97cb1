import Foundation
import JinaCore
import Testing

/// Every `Golden/*.yml` is loaded and its diagnostics compared with `*.expected`, line by line.
/// Files named `bad-*` must fail; `good-*` must give a Flow (warnings allowed).
/// `JINA_UPDATE_GOLDEN=1 swift test --filter GoldenDiagnostics` rewrites the expected files.
@Suite struct GoldenDiagnosticsTests {
    static var cases: [String] {
        let directory = Bundle.module.resourceURL!.appendingPathComponent("Golden")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".yml") }.map { String($0.dropLast(4)) }.sorted()
    }

    @Test func thereAreGoldenCases() {
        #expect(Self.cases.count >= 25)
    }

    @Test(arguments: cases)
    func diagnosticsMatch(_ name: String) throws {
        let directory = Bundle.module.resourceURL!.appendingPathComponent("Golden")
        let text = try String(contentsOf: directory.appendingPathComponent(name + ".yml"), encoding: .utf8)
        let result = loadFlow(text)
        let actual = renderedDiagnostics(result.diagnostics)
        if ProcessInfo.processInfo.environment["JINA_UPDATE_GOLDEN"] == "1" {
            let target = goldenSourceDirectory.appendingPathComponent(name + ".expected")
            try (actual.isEmpty ? "" : actual + "\n").write(to: target, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: directory.appendingPathComponent(name + ".expected"), encoding: .utf8)
        #expect(actual == expected.trimmingCharacters(in: .newlines), "\(name)")
        if name.hasPrefix("bad-") {
            #expect(result.flow == nil && result.diagnostics.hasErrors, "\(name) must fail")
        } else {
            #expect(result.flow != nil && !result.diagnostics.hasErrors, "\(name) must load")
        }
        #expect(result.diagnostics.items.allSatisfy { $0.mark != nil || name == "bad-empty" }, "\(name): every problem has a position")
    }
}
