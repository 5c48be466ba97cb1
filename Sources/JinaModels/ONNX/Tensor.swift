/// A dense tensor going into or coming out of a model: a shape and its values, row-major.
public struct Tensor: Sendable, Equatable {
    public enum Values: Sendable, Equatable {
        case float([Float])
        case int64([Int64])
    }

    public var shape: [Int]
    public var values: Values

    public init(shape: [Int], floats: [Float]) {
        precondition(shape.reduce(1, *) == floats.count, "Tensor: \(floats.count) values for shape \(shape)")
        self.shape = shape
        values = .float(floats)
    }

    public init(shape: [Int], int64s: [Int64]) {
        precondition(shape.reduce(1, *) == int64s.count, "Tensor: \(int64s.count) values for shape \(shape)")
        self.shape = shape
        values = .int64(int64s)
    }

    /// The values as float32 (int64 converted).
    public var floats: [Float] {
        switch values {
        case .float(let values): values
        case .int64(let values): values.map(Float.init)
        }
    }

    var elementType: Int32 {
        switch values {
        case .float: ONNXFunctions.elementFloat
        case .int64: ONNXFunctions.elementInt64
        }
    }

    /// Runs `body` with the values' bytes (row-major, native byte order).
    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws(ONNXError) -> R) throws(ONNXError) -> R {
        let result: Result<R, ONNXError> = switch values {
        case .float(let values): values.withUnsafeBytes { bytes in Result { () throws(ONNXError) in try body(bytes) } }
        case .int64(let values): values.withUnsafeBytes { bytes in Result { () throws(ONNXError) in try body(bytes) } }
        }
        return try result.get()
    }
}
