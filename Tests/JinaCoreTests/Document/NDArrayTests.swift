import JinaCore
import Testing

@Suite struct NDArrayTests {
    /// docarray's `np.array([1, 2], dtype=np.float32)` as sent by `TextDoc.to_protobuf()`.
    @Test func readsFloat32AsDocarraySendsIt() throws {
        let array = try NDArray(buffer: [0, 0, 0x80, 0x3F, 0, 0, 0, 0x40], shape: [2], dtype: "<f4")
        #expect(array.floats() == [1, 2])
        #expect(array.doubles() == [1, 2])
        #expect(array.ints() == nil)
        #expect(array.count == 2)
        #expect(array.itemSize == 4)
    }

    /// docarray's `np.array([0.5])` (float64) as sent by `ImageDoc.to_protobuf()`.
    @Test func readsFloat64AndConvertsToFloat() throws {
        let array = try NDArray(buffer: [0, 0, 0, 0, 0, 0, 0xE0, 0x3F], shape: [1], dtype: "<f8")
        #expect(array.doubles() == [0.5])
        #expect(array.floats() == [0.5])
    }

    /// docarray keeps a big-endian dtype as it is (`np.array([1], dtype='>f4')` → `>f4`).
    @Test func readsBigEndian() throws {
        let array = try NDArray(buffer: [0x3F, 0x80, 0, 0], shape: [1], dtype: ">f4")
        #expect(array.floats() == [1])
        let ints = try NDArray(buffer: [0, 0, 0, 0, 0, 0, 1, 2], shape: [1], dtype: ">i8")
        #expect(ints.ints() == [258])
    }

    @Test func readsIntegerAndBooleanDtypes() throws {
        let i8 = NDArray(ints: [-1, 2, Int.max])
        #expect(i8.dtype == "<i8")
        #expect(i8.buffer.count == 24)
        #expect(i8.ints() == [-1, 2, Int.max])
        #expect(try NDArray(buffer: [0xFF, 0xFF, 0xFF, 0xFF], shape: [1], dtype: "<i4").ints() == [-1])
        #expect(try NDArray(buffer: [7, 250], shape: [1, 2], dtype: "|u1").ints() == [7, 250])
        #expect(try NDArray(buffer: [1, 0, 2], shape: [3], dtype: "|b1").ints() == [1, 0, 1])
        #expect(try NDArray(buffer: [0xFF, 0xFF], shape: [1], dtype: "<i2").doubles() == [-1])
        let huge = try NDArray(buffer: [UInt8](repeating: 0xFF, count: 8), shape: [1], dtype: "<u8")
        #expect(huge.ints() == nil)
    }

    @Test func typedInitialisersWriteLittleEndian() throws {
        let floats = try NDArray(floats: [1, 2, 3, 4, 5, 6], shape: [2, 3])
        #expect(floats.dtype == "<f4")
        #expect(floats.shape == [2, 3])
        #expect(Array(floats.buffer.prefix(4)) == [0, 0, 0x80, 0x3F])
        #expect(floats.floats() == [1, 2, 3, 4, 5, 6])
        let doubles = NDArray(doubles: [0.5])
        #expect(doubles.buffer == [0, 0, 0, 0, 0, 0, 0xE0, 0x3F])
        #expect(doubles.shape == [1])
        #expect(NDArray(floats: []).shape == [0])
    }

    @Test func rejectsBufferOfWrongSize() {
        #expect(throws: DocumentError("tensor buffer has 7 bytes, but shape [2] of <f4 needs 8")) {
            try NDArray(buffer: [UInt8](repeating: 0, count: 7), shape: [2], dtype: "<f4")
        }
        #expect(throws: DocumentError.self) { try NDArray(floats: [1, 2, 3], shape: [2, 2]) }
        #expect(throws: DocumentError.self) { try NDArray(ints: [1], shape: [-1]) }
        #expect(throws: DocumentError.self) { try NDArray(buffer: [], shape: [Int.max, 2], dtype: "<f8") }
    }

    @Test func scalarShapeHoldsOneElement() throws {
        let scalar = try NDArray(doubles: [3], shape: [])
        #expect(scalar.count == 1)
        #expect(scalar.json() == .number(3))
        #expect(try NDArray(json: .number(3)) == scalar)
    }

    @Test func carriesOtherDtypesOpaquely() throws {
        let strings = try NDArray(buffer: Array("a\0\0\0".utf8), shape: [1], dtype: "<U1")
        #expect(strings.buffer.count == 4)
        #expect(strings.floats() == nil)
        #expect(strings.itemSize == nil)
        #expect(strings.json() == .null)
    }

    @Test func parametersTakePartInEquality() throws {
        var a = NDArray(floats: [1])
        let b = a
        a.parameters = ["unit": "m"]
        #expect(a != b)
    }

    @Test func jsonIsNestedListsFollowingTheShape() throws {
        #expect(try NDArray(floats: [1, 2, 3, 4], shape: [2, 2]).json() == [[1.0, 2.0], [3.0, 4.0]])
        #expect(try NDArray(ints: [1, 2, 3, 4, 5, 6], shape: [3, 1, 2]).json() == [[[1, 2]], [[3, 4]], [[5, 6]]])
        #expect(try NDArray(bools: [true, false], shape: [2]).json() == [true, false])
        #expect(try NDArray(doubles: [], shape: [2, 0]).json() == [[], []])
        // float32 values are widened exactly, as numpy's tolist() does.
        #expect(NDArray(floats: [0.1]).json() == [.number(Double(Float(0.1)))])
    }

    @Test func readsJSONInferringDtypeAsNumpy() throws {
        let ints = try NDArray(json: [[1, 2], [3, 4]])
        #expect(ints.dtype == "<i8")
        #expect(ints.shape == [2, 2])
        #expect(ints.ints() == [1, 2, 3, 4])
        let floats = try NDArray(json: [1.5, 2, 3])
        #expect(floats.dtype == "<f8")
        #expect(floats.doubles() == [1.5, 2, 3])
        #expect(try NDArray(json: [[true, false]]).dtype == "|b1")
        let empty = try NDArray(json: [])
        #expect(empty.dtype == "<f8")
        #expect(empty.shape == [0])
    }

    @Test func rejectsRaggedAndNonNumericJSON() {
        #expect(throws: DocumentError("ragged nested list: expected 2 elements, got 1", path: "e[1]")) {
            try NDArray(json: [[1, 2], [3]], path: "e")
        }
        #expect(throws: DocumentError("ragged nested list: expected a number, got a list", path: "e[1]")) {
            try NDArray(json: [1, [2]], path: "e")
        }
        #expect(throws: DocumentError("expected a number, got a string", path: "e[0][1]")) {
            try NDArray(json: [[1, "x"]], path: "e")
        }
        #expect(throws: DocumentError("expected a number, got null", path: "e[0]")) {
            try NDArray(json: [nil], path: "e")
        }
    }
}
