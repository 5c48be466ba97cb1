import Foundation
import JinaCore
import JinaOrchestrator

/// The text of a Flow YAML as the user named it: a file path, or `-` for standard input.
struct FlowSource {
    /// The name used in messages: the path as typed, or `<stdin>`.
    var displayName: String
    var text: String
    /// The folder relative paths in the Flow start from: the file's, or the working directory
    /// for standard input.
    var directory: String {
        FlowLauncher.directory(of: displayName == "<stdin>" ? nil : displayName)
    }

    static func read(_ path: String) throws -> FlowSource {
        if path == "-" {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            return FlowSource(displayName: "<stdin>", text: String(decoding: data, as: UTF8.self))
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            let reason = !exists ? "no such file" : (isDirectory.boolValue ? "it is a directory" : "permission denied")
            throw JinaError(.invalidInput, "cannot read Flow YAML \(path): \(reason)",
                            hint: "pass the path of a Flow YAML file, or '-' to read standard input")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw JinaError(.invalidInput, "\(path) is not UTF-8 text", hint: "save the Flow YAML as UTF-8")
        }
        return FlowSource(displayName: path, text: text)
    }
}
