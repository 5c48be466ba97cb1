/// The entries of ONNX Runtime's C API table (`OrtApi`) that jina calls, each declared by its
/// place in the table. The table only ever grows at its end, so these places hold for every
/// release from the one that added each entry on; `ONNXRuntime` checks the library's version
/// before using them, and `ONNXRuntimeTests` calls each one.
///
/// Opaque ONNX Runtime objects are `OpaquePointer`s; a returned status is nil on success.
struct ONNXFunctions: @unchecked Sendable {
    let table: UnsafePointer<UnsafeRawPointer?>

    typealias Status = OpaquePointer?
    typealias Out = UnsafeMutablePointer<OpaquePointer?>

    static let loggingWarning: Int32 = 2
    static let graphOptimizationAll: Int32 = 99
    static let elementFloat: Int32 = 1
    static let elementInt64: Int32 = 7
    static let elementDouble: Int32 = 11
    static let onnxTypeTensor: Int32 = 1

    private func entry<F>(_ index: Int) -> F {
        unsafeBitCast(table[index]!, to: F.self)
    }

    var getErrorCode: @convention(c) (OpaquePointer?) -> Int32 { entry(1) }
    var getErrorMessage: @convention(c) (OpaquePointer?) -> UnsafePointer<CChar>? { entry(2) }
    var createEnv: @convention(c) (Int32, UnsafePointer<CChar>?, Out?) -> Status { entry(3) }
    var disableTelemetryEvents: @convention(c) (OpaquePointer?) -> Status { entry(6) }
    var createSession: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, OpaquePointer?, Out?) -> Status {
        entry(7)
    }
    var run: @convention(c) (OpaquePointer?, OpaquePointer?, UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<OpaquePointer?>?, Int,
                             UnsafePointer<UnsafePointer<CChar>?>?, Int, Out?) -> Status { entry(9) }
    var createSessionOptions: @convention(c) (Out?) -> Status { entry(10) }
    var setGraphOptimizationLevel: @convention(c) (OpaquePointer?, Int32) -> Status { entry(23) }
    var setIntraOpNumThreads: @convention(c) (OpaquePointer?, Int32) -> Status { entry(24) }
    var setInterOpNumThreads: @convention(c) (OpaquePointer?, Int32) -> Status { entry(25) }
    var sessionGetInputCount: @convention(c) (OpaquePointer?, UnsafeMutablePointer<Int>?) -> Status { entry(30) }
    var sessionGetOutputCount: @convention(c) (OpaquePointer?, UnsafeMutablePointer<Int>?) -> Status { entry(31) }
    var sessionGetInputTypeInfo: @convention(c) (OpaquePointer?, Int, Out?) -> Status { entry(33) }
    var sessionGetOutputTypeInfo: @convention(c) (OpaquePointer?, Int, Out?) -> Status { entry(34) }
    var sessionGetInputName: @convention(c) (OpaquePointer?, Int, OpaquePointer?, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Status {
        entry(36)
    }
    var sessionGetOutputName: @convention(c) (OpaquePointer?, Int, OpaquePointer?, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Status {
        entry(37)
    }
    var createTensorWithData: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, Int, UnsafePointer<Int64>?, Int, Int32, Out?) -> Status {
        entry(49)
    }
    var isTensor: @convention(c) (OpaquePointer?, UnsafeMutablePointer<Int32>?) -> Status { entry(50) }
    var getTensorMutableData: @convention(c) (OpaquePointer?, UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> Status {
        entry(51)
    }
    var castTypeInfoToTensorInfo: @convention(c) (OpaquePointer?, Out?) -> Status { entry(55) }
    var getOnnxTypeFromTypeInfo: @convention(c) (OpaquePointer?, UnsafeMutablePointer<Int32>?) -> Status {
        entry(56)
    }
    var getTensorElementType: @convention(c) (OpaquePointer?, UnsafeMutablePointer<Int32>?) -> Status { entry(60) }
    var getDimensionsCount: @convention(c) (OpaquePointer?, UnsafeMutablePointer<Int>?) -> Status { entry(61) }
    var getDimensions: @convention(c) (OpaquePointer?, UnsafeMutablePointer<Int64>?, Int) -> Status { entry(62) }
    var getTensorShapeElementCount: @convention(c) (OpaquePointer?, UnsafeMutablePointer<Int>?) -> Status {
        entry(64)
    }
    var getTensorTypeAndShape: @convention(c) (OpaquePointer?, Out?) -> Status { entry(65) }
    var createCpuMemoryInfo: @convention(c) (Int32, Int32, Out?) -> Status { entry(69) }
    var allocatorFree: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?) -> Status { entry(76) }
    var getAllocatorWithDefaultOptions: @convention(c) (Out?) -> Status { entry(78) }
    var releaseEnv: @convention(c) (OpaquePointer?) -> Void { entry(92) }
    var releaseStatus: @convention(c) (OpaquePointer?) -> Void { entry(93) }
    var releaseMemoryInfo: @convention(c) (OpaquePointer?) -> Void { entry(94) }
    var releaseSession: @convention(c) (OpaquePointer?) -> Void { entry(95) }
    var releaseValue: @convention(c) (OpaquePointer?) -> Void { entry(96) }
    var releaseTypeInfo: @convention(c) (OpaquePointer?) -> Void { entry(98) }
    var releaseTensorTypeAndShapeInfo: @convention(c) (OpaquePointer?) -> Void { entry(99) }
    var releaseSessionOptions: @convention(c) (OpaquePointer?) -> Void { entry(100) }

    /// Turns a status into an error (and frees it); nil is success.
    func check(_ status: Status, doing what: String) throws(ONNXError) {
        guard let status else { return }
        let message = getErrorMessage(status).map { String(cString: $0) } ?? "unknown error"
        let code = getErrorCode(status)
        releaseStatus(status)
        throw .runtime(what: what, code: Int(code), message: message)
    }
}
