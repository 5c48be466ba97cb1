// libFuzzer target: Flow YAML through the loader and the validator (scripts/fuzz.sh flow-yaml).
// Any input must give a Flow or diagnostics, never a crash or a hang.
import JinaCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFlowYAML(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let result = FlowLoader.load(text: text, file: "fuzz.yml", environment: ["A": "1"])
    _ = DiagnosticRenderer.text(result.diagnostics)
    return 0
}
