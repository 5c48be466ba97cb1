/// Why a model cannot be loaded or run. `description` is one line naming the path or the
/// tensor and what to try.
public enum ONNXError: Error, Equatable, CustomStringConvertible {
    /// No library at the path.
    case libraryMissing(path: String)
    /// The library exists but cannot be used (not ONNX Runtime, not loadable).
    case libraryUnusable(path: String, reason: String)
    /// Another ONNX Runtime release than the one the entry points are declared for.
    case wrongVersion(path: String, found: String, expected: String)
    /// ONNX Runtime refused (what jina was doing, its error code and message).
    case runtime(what: String, code: Int, message: String)
    /// No model file at the path.
    case modelMissing(path: String)
    /// The inputs do not fit the model.
    case badInput(String)

    static let installHint = "run scripts/install-models.sh, or point JINA_ONNXRUNTIME or uses_with.runtime at libonnxruntime.so.\(ONNXRuntime.pinnedVersion)"

    public var description: String {
        switch self {
        case .libraryMissing(let path):
            "ONNX Runtime is not installed: no \(path); \(Self.installHint)"
        case .libraryUnusable(let path, let reason):
            "cannot use ONNX Runtime at \(path): \(reason); \(Self.installHint)"
        case .wrongVersion(let path, let found, let expected):
            "\(path) is ONNX Runtime \(found); jina needs \(expected); \(Self.installHint)"
        case .runtime(let what, let code, let message):
            "ONNX Runtime could not \(what) (error \(code)): \(message)"
        case .modelMissing(let path):
            "no model file at \(path); run scripts/install-models.sh for the bundled models, or set uses_with.model"
        case .badInput(let message):
            message
        }
    }
}
