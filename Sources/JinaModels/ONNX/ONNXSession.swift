#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One loaded model: its named inputs and outputs, and `run`. ONNX Runtime allows concurrent
/// `run` calls on one session.
public final class ONNXSession: @unchecked Sendable {
    /// A model input or output: its name, element type and shape (-1 for a dimension the model
    /// leaves open, such as the batch).
    public struct TensorInfo: Sendable, Equatable {
        public var name: String
        /// ONNX's element type number (1 float32, 7 int64, …); nil for a non-tensor.
        public var elementType: Int32?
        public var shape: [Int]

        public var isFloat: Bool { elementType == ONNXFunctions.elementFloat }
        public var isInt64: Bool { elementType == ONNXFunctions.elementInt64 }
    }

    public let runtime: ONNXRuntime
    public let modelPath: String
    public let inputs: [TensorInfo]
    public let outputs: [TensorInfo]
    private let session: OpaquePointer
    private let memory: OpaquePointer

    /// Loads `modelPath`. `intraOpThreads`: threads one run may use (nil: ONNX Runtime's choice).
    public init(runtime: ONNXRuntime, modelPath: String, intraOpThreads: Int? = nil) throws(ONNXError) {
        self.runtime = runtime
        self.modelPath = modelPath
        let api = runtime.api
        guard access(modelPath, R_OK) == 0 else { throw .modelMissing(path: modelPath) }
        var options: OpaquePointer?
        try api.check(api.createSessionOptions(&options), doing: "create session options")
        defer { api.releaseSessionOptions(options) }
        try api.check(api.setGraphOptimizationLevel(options, ONNXFunctions.graphOptimizationAll), doing: "set the optimisation level")
        if let intraOpThreads {
            try api.check(api.setIntraOpNumThreads(options, Int32(intraOpThreads)), doing: "set intra_op_threads")
        }
        try api.check(api.setInterOpNumThreads(options, 1), doing: "set the inter-op threads")
        var session: OpaquePointer?
        try api.check(api.createSession(runtime.environment, modelPath, options, &session), doing: "load the model \(modelPath)")
        guard let session else { throw .runtime(what: "load the model \(modelPath)", code: -1, message: "no session") }
        self.session = session
        var memory: OpaquePointer?
        do {
            try api.check(api.createCpuMemoryInfo(1, 0, &memory), doing: "describe CPU memory")
            inputs = try Self.describe(api, session, input: true)
            outputs = try Self.describe(api, session, input: false)
        } catch {
            api.releaseMemoryInfo(memory)
            api.releaseSession(session)
            throw error
        }
        self.memory = memory!
    }

    deinit {
        runtime.api.releaseMemoryInfo(memory)
        runtime.api.releaseSession(session)
    }

    private static func describe(_ api: ONNXFunctions, _ session: OpaquePointer, input: Bool) throws(ONNXError) -> [TensorInfo] {
        var count = 0
        try api.check(input ? api.sessionGetInputCount(session, &count) : api.sessionGetOutputCount(session, &count),
                      doing: "count the model's tensors")
        var allocator: OpaquePointer?
        try api.check(api.getAllocatorWithDefaultOptions(&allocator), doing: "get the default allocator")
        var described: [TensorInfo] = []
        for index in 0..<count {
            var rawName: UnsafeMutablePointer<CChar>?
            try api.check(input ? api.sessionGetInputName(session, index, allocator, &rawName)
                                : api.sessionGetOutputName(session, index, allocator, &rawName), doing: "read a tensor name")
            let name = rawName.map { String(cString: $0) } ?? ""
            _ = api.allocatorFree(allocator, rawName).map(api.releaseStatus)
            var typeInfo: OpaquePointer?
            try api.check(input ? api.sessionGetInputTypeInfo(session, index, &typeInfo)
                                : api.sessionGetOutputTypeInfo(session, index, &typeInfo), doing: "read the type of \(name)")
            defer { api.releaseTypeInfo(typeInfo) }
            var onnxType: Int32 = 0
            try api.check(api.getOnnxTypeFromTypeInfo(typeInfo, &onnxType), doing: "read the kind of \(name)")
            guard onnxType == ONNXFunctions.onnxTypeTensor else {
                described.append(TensorInfo(name: name, elementType: nil, shape: []))
                continue
            }
            var tensorInfo: OpaquePointer?  // owned by typeInfo
            try api.check(api.castTypeInfoToTensorInfo(typeInfo, &tensorInfo), doing: "read the tensor type of \(name)")
            var element: Int32 = 0
            try api.check(api.getTensorElementType(tensorInfo, &element), doing: "read the element type of \(name)")
            var rank = 0
            try api.check(api.getDimensionsCount(tensorInfo, &rank), doing: "read the rank of \(name)")
            var dimensions = [Int64](repeating: 0, count: rank)
            try api.check(api.getDimensions(tensorInfo, &dimensions, rank), doing: "read the shape of \(name)")
            described.append(TensorInfo(name: name, elementType: element, shape: dimensions.map { Int($0) }))
        }
        return described
    }

    /// Runs the model on `feeds` (by input name) and returns the `wanted` outputs by name
    /// (float outputs as float32; int64 outputs as int64).
    public func run(_ feeds: [String: Tensor], outputs wanted: [String]) throws(ONNXError) -> [String: Tensor] {
        let api = runtime.api
        for input in inputs where feeds[input.name] == nil {
            throw .badInput("the model needs input `\(input.name)`; it was given \(feeds.keys.sorted())")
        }
        for name in wanted where !outputs.contains(where: { $0.name == name }) {
            throw .badInput("the model has no output `\(name)`; its outputs: \(outputs.map(\.name))")
        }
        let names = inputs.map(\.name)
        var results: [OpaquePointer?] = Array(repeating: nil, count: wanted.count)
        defer { results.forEach(api.releaseValue) }
        // The inputs are handed to ONNX Runtime where they lie (it reads them, never writes).
        try bind(names[...], feeds: feeds, bound: []) { (values) throws(ONNXError) in
            try withCStrings(names) { (inputNames) throws(ONNXError) in
                try withCStrings(wanted) { (outputNames) throws(ONNXError) in
                    try api.check(api.run(session, nil, inputNames, values, values.count, outputNames, wanted.count, &results),
                                  doing: "run \(modelPath)")
                }
            }
        }
        var answer: [String: Tensor] = [:]
        for (name, value) in zip(wanted, results) {
            answer[name] = try tensor(value, name: name)
        }
        return answer
    }

    /// Makes an ONNX Runtime value over each named input's own storage, one inside the other, and
    /// runs `body` with all of them; each is released when its scope ends.
    private func bind(_ names: ArraySlice<String>, feeds: [String: Tensor], bound: [OpaquePointer?],
                      _ body: ([OpaquePointer?]) throws(ONNXError) -> Void) throws(ONNXError) {
        guard let name = names.first else { return try body(bound) }
        let api = runtime.api
        let tensor = feeds[name]!
        let shape = tensor.shape.map(Int64.init)
        try tensor.withUnsafeBytes { (bytes) throws(ONNXError) in
            var value: OpaquePointer?
            try api.check(api.createTensorWithData(memory, UnsafeMutableRawPointer(mutating: bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 64)!),
                                                   bytes.count, shape, shape.count, tensor.elementType, &value),
                          doing: "make the input tensor \(name) of shape \(tensor.shape)")
            defer { api.releaseValue(value) }
            try bind(names.dropFirst(), feeds: feeds, bound: bound + [value], body)
        }
    }

    private func tensor(_ value: OpaquePointer?, name: String) throws(ONNXError) -> Tensor {
        let api = runtime.api
        var isTensor: Int32 = 0
        try api.check(api.isTensor(value, &isTensor), doing: "read output \(name)")
        guard isTensor != 0 else { throw .badInput("the model's output `\(name)` is not a tensor") }
        var info: OpaquePointer?
        try api.check(api.getTensorTypeAndShape(value, &info), doing: "read the shape of output \(name)")
        defer { api.releaseTensorTypeAndShapeInfo(info) }
        var element: Int32 = 0, rank = 0, count = 0
        try api.check(api.getTensorElementType(info, &element), doing: "read the type of output \(name)")
        try api.check(api.getDimensionsCount(info, &rank), doing: "read the rank of output \(name)")
        var dimensions = [Int64](repeating: 0, count: rank)
        try api.check(api.getDimensions(info, &dimensions, rank), doing: "read the shape of output \(name)")
        try api.check(api.getTensorShapeElementCount(info, &count), doing: "count output \(name)")
        var data: UnsafeMutableRawPointer?
        try api.check(api.getTensorMutableData(value, &data), doing: "read output \(name)")
        let shape = dimensions.map { Int($0) }
        switch element {
        case ONNXFunctions.elementFloat:
            let floats = data.map { Array(UnsafeBufferPointer(start: $0.assumingMemoryBound(to: Float.self), count: count)) } ?? []
            return Tensor(shape: shape, floats: floats)
        case ONNXFunctions.elementInt64:
            let ints = data.map { Array(UnsafeBufferPointer(start: $0.assumingMemoryBound(to: Int64.self), count: count)) } ?? []
            return Tensor(shape: shape, int64s: ints)
        case ONNXFunctions.elementDouble:
            let doubles = data.map { Array(UnsafeBufferPointer(start: $0.assumingMemoryBound(to: Double.self), count: count)) } ?? []
            return Tensor(shape: shape, floats: doubles.map(Float.init))
        default:
            throw .badInput("the model's output `\(name)` has element type \(element); jina reads float32, float64 and int64 outputs")
        }
    }
}

/// C strings for `strings`, alive during `body`.
func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) throws(ONNXError) -> R) throws(ONNXError) -> R {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    let pointers = copies.map { UnsafePointer($0) } + [nil]  // never empty
    let result: Result<R, ONNXError> = pointers.withUnsafeBufferPointer { buffer in
        Result { () throws(ONNXError) in try body(buffer.baseAddress!) }
    }
    return try result.get()
}
