/// A dense n-dimensional array as docarray sends it (`NdArrayProto`): raw bytes in C order, a
/// shape, and a numpy dtype string such as `<f4` (float32), `<f8`, `<i8`, `|u1` or `|b1`.
///
/// The bytes are kept exactly as they came, so any dtype (big-endian `>f4` too) survives a round
/// trip. For the numeric kinds (`f`, `i`, `u`, `b`, `c`) the buffer size must equal
/// element count × item size; other dtypes are carried opaquely and have no typed view.
public struct NDArray: Sendable, Equatable {
    /// The raw values, in the byte order the dtype names, C (row-major) order.
    public private(set) var buffer: [UInt8]
    /// The size of each dimension; `[]` is a scalar (one element).
    public private(set) var shape: [Int]
    /// The numpy dtype string (`dtype.str`), e.g. `<f4`.
    public private(set) var dtype: String
    /// The tensor's `parameters` (a protobuf `Struct` on the wire); nil when absent.
    public var parameters: [String: JSONValue]?

    /// Creates an array from raw bytes; throws when the shape is negative, or when the buffer
    /// size does not match the shape for a numeric dtype.
    public init(buffer: [UInt8], shape: [Int], dtype: String, parameters: [String: JSONValue]? = nil)
        throws(DocumentError)
    {
        guard let count = Self.elementCount(shape) else {
            throw DocumentError("invalid tensor shape \(shape)")
        }
        if let type = DType(dtype) {
            let (expected, overflow) = count.multipliedReportingOverflow(by: type.size)
            guard !overflow, buffer.count == expected else {
                throw DocumentError(
                    "tensor buffer has \(buffer.count) bytes, but shape \(shape) of \(dtype) needs \(expected)")
            }
        }
        self.buffer = buffer
        self.shape = shape
        self.dtype = dtype
        self.parameters = parameters
    }

    /// An array whose size is already known to match (used by the typed initialisers).
    init(unchecked buffer: [UInt8], shape: [Int], dtype: String) {
        self.buffer = buffer
        self.shape = shape
        self.dtype = dtype
    }

    /// The number of elements (the product of the shape).
    public var count: Int { Self.elementCount(shape) ?? 0 }

    /// Bytes per element, for numeric dtypes.
    public var itemSize: Int? { DType(dtype)?.size }

    /// The product of `shape`; nil for a negative dimension or overflow.
    static func elementCount(_ shape: [Int]) -> Int? {
        var count = 1
        for dimension in shape {
            guard dimension >= 0 else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            if overflow { return nil }
            count = product
        }
        return count
    }
}

/// A parsed numeric numpy dtype string: byte order, kind and item size.
struct DType: Equatable {
    enum Kind: Equatable {
        case float, signed, unsigned, bool, complex
    }

    var kind: Kind
    var size: Int
    var bigEndian: Bool

    /// Parses `<f4`, `>i8`, `|u1`, `=f8` or `f4`; nil for other kinds (strings, objects…) or
    /// an impossible size.
    init?(_ text: String) {
        var rest = Substring(text)
        bigEndian = false
        switch rest.first {
        case ">": bigEndian = true; rest.removeFirst()
        case "<", "|", "=": rest.removeFirst()
        default: break
        }
        guard let code = rest.first, let size = Int(rest.dropFirst()) else { return nil }
        switch (code, size) {
        case ("f", 2), ("f", 4), ("f", 8), ("f", 16): kind = .float
        case ("i", 1), ("i", 2), ("i", 4), ("i", 8): kind = .signed
        case ("u", 1), ("u", 2), ("u", 4), ("u", 8): kind = .unsigned
        case ("b", 1): kind = .bool
        case ("c", 8), ("c", 16), ("c", 32): kind = .complex
        default: return nil
        }
        self.size = size
    }
}
