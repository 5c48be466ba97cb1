import Foundation
import Testing

/// What `import JinaRuntime` shows a custom executor (issue #11 item 5): the SDK and the document
/// model, not the Flow validator and the rest of JinaCore. Checked the way a user's program meets
/// it: the Swift compiler type-checks a file against the modules this test run was built with.
@Suite("the executor SDK's surface")
struct SDKSurfaceTests {
    /// `Modules` of this build (the test program sits in the build folder) and the flags that let
    /// swiftc load the C modules under it.
    static func compilerArguments() throws -> [String] {
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let build = URL(fileURLWithPath: executable).deletingLastPathComponent()
        let scratch = build.deletingLastPathComponent().deletingLastPathComponent()
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var maps: [String] = []
        for folder in [build, scratch.appendingPathComponent("checkouts"), root.appendingPathComponent("Sources")] {
            guard let walker = FileManager.default.enumerator(atPath: folder.path) else { continue }
            while let relative = walker.nextObject() as? String {
                guard relative.hasSuffix("module.modulemap"), !relative.contains("-tool.build"),
                      !relative.contains("Tests/"), !relative.contains("Benchmarks/") else { continue }
                // The build folder's own module maps sit one level down (`NAME.build/module.modulemap`).
                if folder == build, relative.split(separator: "/").count != 2 { continue }
                maps += ["-Xcc", "-fmodule-map-file=" + folder.appendingPathComponent(relative).path]
            }
        }
        return ["swiftc", "-typecheck", "-I", build.appendingPathComponent("Modules").path] + maps
    }

    /// swiftc's complaints about `source` (empty when it type-checks).
    static func typecheck(_ source: String) async throws -> String {
        let file = NSTemporaryDirectory() + "sdk-surface-\(UUID().uuidString).swift"
        try source.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = try compilerArguments() + [file]
        let output = Pipe()
        process.standardError = output
        process.standardOutput = output
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errors = text.split(separator: "\n").filter { $0.contains("error:") }.joined(separator: "\n")
        #expect((status == 0) == errors.isEmpty, "swiftc exited \(status): \(text)")
        return errors
    }

    @Test("the smallest executor type-checks with the SDK alone, and JinaCore's Flow machinery is not in sight")
    func surface() async throws {
        let smallest = try String(contentsOfFile: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Examples/ShoutExecutor/main.swift").standardized.path, encoding: .utf8)
        #expect(smallest.split(separator: "\n").count <= 6)
        #expect(try await Self.typecheck(smallest) == "")
        let documents = """
            import JinaRuntime
            var document = Document(text: "a")
            document.tags = ["k": "v"]
            let json = JSONValue.null
            let context = ExecutorContext(name: "x", replicaID: nil, shardID: nil, workspace: nil, logger: Logger(label: "x"))
            """
        let documentErrors = try await Self.typecheck(documents)
        #expect(documentErrors == "")
        for hidden in ["FlowLoader", "FlowValidator", "ExecutorInvocation", "DiagnosticRenderer", "ExecutorOptions", "ExecutorServer"] {
            let errors = try await Self.typecheck("import JinaRuntime\nlet x = \(hidden).self\n")
            #expect(errors.contains("cannot find '\(hidden)' in scope"), "\(hidden) is visible to a custom executor")
        }
    }
}
