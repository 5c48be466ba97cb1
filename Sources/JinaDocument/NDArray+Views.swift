extension NDArray {
    /// A one-dimensional float32 (`<f4`) array.
    public init(floats: [Float]) {
        self.init(unchecked: Self.pack(floats.map(\.bitPattern)), shape: [floats.count], dtype: "<f4")
    }

    /// A float32 (`<f4`) array of the given shape; throws when the shape does not hold the values.
    public init(floats: [Float], shape: [Int]) throws(DocumentError) {
        try self.init(buffer: Self.pack(floats.map(\.bitPattern)), shape: shape, dtype: "<f4")
    }

    /// A one-dimensional float64 (`<f8`) array.
    public init(doubles: [Double]) {
        self.init(unchecked: Self.pack(doubles.map(\.bitPattern)), shape: [doubles.count], dtype: "<f8")
    }

    /// A float64 (`<f8`) array of the given shape; throws when the shape does not hold the values.
    public init(doubles: [Double], shape: [Int]) throws(DocumentError) {
        try self.init(buffer: Self.pack(doubles.map(\.bitPattern)), shape: shape, dtype: "<f8")
    }

    /// A one-dimensional int64 (`<i8`) array.
    public init(ints: [Int]) {
        self.init(unchecked: Self.pack(ints.map(Int64.init)), shape: [ints.count], dtype: "<i8")
    }

    /// An int64 (`<i8`) array of the given shape; throws when the shape does not hold the values.
    public init(ints: [Int], shape: [Int]) throws(DocumentError) {
        try self.init(buffer: Self.pack(ints.map(Int64.init)), shape: shape, dtype: "<i8")
    }

    /// A boolean (`|b1`) array of the given shape; throws when the shape does not hold the values.
    public init(bools: [Bool], shape: [Int]) throws(DocumentError) {
        try self.init(buffer: bools.map { $0 ? 1 : 0 }, shape: shape, dtype: "|b1")
    }

    /// The values as `Float` in C order, converted from any integer, boolean or float dtype
    /// (float64 is rounded); nil for other dtypes (complex, float16, strings…).
    public func floats() -> [Float]? {
        if let type = DType(dtype), type.kind == .float, type.size == 4 {
            return load(UInt32.self, bigEndian: type.bigEndian).map(Float.init(bitPattern:))
        }
        return doubles()?.map(Float.init)
    }

    /// The values as `Double` in C order, converted from any integer, boolean or float dtype
    /// (int64 beyond 2^53 is rounded); nil for other dtypes.
    public func doubles() -> [Double]? {
        guard let type = DType(dtype) else { return nil }
        let big = type.bigEndian
        switch (type.kind, type.size) {
        case (.float, 4): return load(UInt32.self, bigEndian: big).map { Double(Float(bitPattern: $0)) }
        case (.float, 8): return load(UInt64.self, bigEndian: big).map(Double.init(bitPattern:))
        case (.signed, _), (.unsigned, _), (.bool, _): return integers(type)?.map(Double.init)
        default: return nil
        }
    }

    /// The values as `Int` in C order, for integer and boolean dtypes (`true` is 1); nil for
    /// float and other dtypes, and for a `u8` value beyond `Int.max`.
    public func ints() -> [Int]? {
        guard let type = DType(dtype) else { return nil }
        return integers(type)
    }

    private func integers(_ type: DType) -> [Int]? {
        let big = type.bigEndian
        switch (type.kind, type.size) {
        case (.signed, 1): return load(Int8.self, bigEndian: big).map(Int.init)
        case (.signed, 2): return load(Int16.self, bigEndian: big).map(Int.init)
        case (.signed, 4): return load(Int32.self, bigEndian: big).map(Int.init)
        case (.signed, 8): return load(Int64.self, bigEndian: big).map(Int.init)
        case (.unsigned, 1): return load(UInt8.self, bigEndian: big).map(Int.init)
        case (.unsigned, 2): return load(UInt16.self, bigEndian: big).map(Int.init)
        case (.unsigned, 4): return load(UInt32.self, bigEndian: big).map(Int.init)
        case (.unsigned, 8):
            var values: [Int] = []
            values.reserveCapacity(count)
            for value in load(UInt64.self, bigEndian: big) {
                guard let exact = Int(exactly: value) else { return nil }
                values.append(exact)
            }
            return values
        case (.bool, 1): return buffer.map { $0 == 0 ? 0 : 1 }
        default: return nil
        }
    }

    /// Reads `count` fixed-width integers from the buffer in the given byte order.
    private func load<T: FixedWidthInteger>(_: T.Type, bigEndian: Bool) -> [T] {
        let width = MemoryLayout<T>.size
        let n = min(count, buffer.count / width)
        return buffer.withUnsafeBytes { raw in
            (0..<n).map { index in
                let value = raw.loadUnaligned(fromByteOffset: index * width, as: T.self)
                return bigEndian ? T(bigEndian: value) : T(littleEndian: value)
            }
        }
    }

    /// Little-endian bytes of the values.
    static func pack<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(values.count * MemoryLayout<T>.size)
        for value in values {
            withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
        }
        return out
    }
}
