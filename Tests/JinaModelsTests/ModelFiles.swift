import Foundation
import JinaModels
import Testing

/// The files `scripts/install-models.sh` installs (scripts/test.sh runs it first). A missing
/// file fails the test that needs it, saying how to install it.
enum ModelFiles {
    static let folder = ONNXRuntime.modelsFolder
    static let runtime = ONNXRuntime.libraryPath(configured: nil)
    static let miniLM = folder + "/minilm/model.onnx"
    static let vocabulary = folder + "/minilm/vocab.txt"
    static let resnet = folder + "/resnet50/model.onnx"

    static func require(_ path: String) throws -> String {
        guard FileManager.default.fileExists(atPath: path) else {
            Issue.record("\(path) is missing: run scripts/install-models.sh")
            throw CancellationError()
        }
        return path
    }
}
