package import JinaCore
import SwiftProtobuf

/// Writes documents straight to the protobuf bytes of a request's `data` field (tag 4,
/// `DataContentProto` with `docs`), without building SwiftProtobuf's messages first: the
/// executor's and the gateway's fast path, the mirror of `DocumentWireDecoder`.
///
/// Two passes over the documents: the first measures every nested message (in the order the
/// second writes them), the second writes into one buffer of the exact size. A document that
/// still carries the `origin` of `source` (a handler did not change it) is copied from the
/// request's bytes instead of being encoded again.
///
/// The bytes are what SwiftProtobuf writes for the same `DocListProto`, up to the order of map
/// entries (SwiftProtobuf's is not fixed either).
package struct DocumentWireEncoder {
    /// The request whose untouched documents can be copied: its batch number, its encoded
    /// `data` field and where each document lies in it (`DocumentWireDecoder.documentRanges`).
    package struct Source {
        package var batch: UInt64
        package var bytes: UnsafeRawBufferPointer
        package var ranges: [Range<Int>]

        package init(batch: UInt64, bytes: UnsafeRawBufferPointer, ranges: [Range<Int>]) {
            self.batch = batch
            self.bytes = bytes
            self.ranges = ranges
        }
    }

    /// An integer that does not fit the wire's int32: the caller encodes with the SwiftProtobuf
    /// path, whose error names the field.
    package struct Unencodable: Error {}

    private var sizes: [Int] = []
    private var next = 0
    private var parameters: [[UInt8]] = []
    private var nextParameters = 0
    private var out: [UInt8] = []
    private let source: Source?

    private init(source: Source?) {
        self.source = source
    }

    /// The encoded `data` field for `documents`.
    package static func dataField(_ documents: [Document], reusing source: Source? = nil) throws(Unencodable) -> [UInt8] {
        var encoder = DocumentWireEncoder(source: source)
        let list = try encoder.measureList(documents, topLevel: true)
        let content = Self.field(1, length: list)
        let total = Self.field(4, length: content)
        encoder.out.reserveCapacity(total)
        encoder.writeHeader(4, length: content)
        encoder.writeHeader(1, length: list)
        encoder.writeList(documents, topLevel: true)
        assert(encoder.out.count == total, "the measuring and the writing pass disagree")
        return encoder.out
    }

    // MARK: Measuring (every nested message's body size, in writing order)

    private mutating func slot() -> Int {
        sizes.append(0)
        return sizes.count - 1
    }

    private func reused(_ document: Document, topLevel: Bool) -> Range<Int>? {
        guard topLevel, let source, let origin = document.origin, origin.batch == source.batch,
              source.ranges.indices.contains(origin.index) else { return nil }
        return source.ranges[origin.index]
    }

    private mutating func measureList(_ documents: [Document], topLevel: Bool = false) throws(Unencodable) -> Int {
        var total = 0
        for document in documents {
            if let range = reused(document, topLevel: topLevel) {
                total += Self.field(1, length: range.count)
            } else {
                let body = slot()
                let size = try measureEntries(document.fields)
                sizes[body] = size
                total += Self.field(1, length: size)
            }
        }
        return total
    }

    /// Map entries: each one a message (key 1, value 2) of its own.
    private mutating func measureEntries(_ entries: [String: DocValue]) throws(Unencodable) -> Int {
        var total = 0
        for (key, value) in entries {
            let entry = slot()
            let node = slot()
            let nodeSize = try measureNode(value)
            sizes[node] = nodeSize
            let entrySize = Self.field(1, length: key.utf8.count) + Self.field(2, length: nodeSize)
            sizes[entry] = entrySize
            total += Self.field(1, length: entrySize)
        }
        return total
    }

    private mutating func measureNode(_ value: DocValue) throws(Unencodable) -> Int {
        var total = 0
        switch value.content {
        case .null: break
        case .text(let text): total += Self.field(1, length: text.utf8.count)
        case .integer(let integer):
            guard let narrow = Int32(exactly: integer) else { throw Unencodable() }
            total += 1 + Self.varintSize(UInt64(bitPattern: Int64(narrow)))
        case .float: total += 1 + 8
        case .boolean: total += 2
        case .blob(let bytes): total += Self.field(5, length: bytes.count)
        case .ndarray(let array):
            let body = slot()
            let size = measureNDArray(array)
            sizes[body] = size
            total += Self.field(6, length: size)
        case .doc(let document):
            let body = slot()
            let size = try measureEntries(document.fields)
            sizes[body] = size
            total += Self.field(7, length: size)
        case .docList(let documents):
            let body = slot()
            let size = try measureList(documents)
            sizes[body] = size
            total += Self.field(8, length: size)
        case .list(let values), .set(let values), .tuple(let values):
            let body = slot()
            var size = 0
            for element in values {
                let node = slot()
                let nodeSize = try measureNode(element)
                sizes[node] = nodeSize
                size += Self.field(1, length: nodeSize)
            }
            sizes[body] = size
            total += Self.field(9, length: size)  // set (10) and tuple (11) have tags of the same size
        case .dict(let entries):
            let body = slot()
            let size = try measureEntries(entries)
            sizes[body] = size
            total += Self.field(12, length: size)
        }
        if let type = value.docarrayType { total += Self.field(13, length: type.utf8.count) }
        return total
    }

    /// `NdArrayProto`: `dense` (always present, as SwiftProtobuf writes a set message field)
    /// and `parameters` when there are any.
    private mutating func measureNDArray(_ array: NDArray) -> Int {
        let dense = slot()
        var denseSize = 0
        if !array.buffer.isEmpty { denseSize += Self.field(1, length: array.buffer.count) }
        if !array.shape.isEmpty {
            let packed = array.shape.reduce(0) { $0 + Self.varintSize(UInt64(UInt32(truncatingIfNeeded: $1))) }
            denseSize += Self.field(2, length: packed)
        }
        if !array.dtype.isEmpty { denseSize += Self.field(3, length: array.dtype.utf8.count) }
        sizes[dense] = denseSize
        var total = Self.field(1, length: denseSize)
        if let json = array.parameters {
            // Any Struct SwiftProtobuf builds can be encoded.
            let bytes: [UInt8] = (try? Google_Protobuf_Struct(json: json).serializedBytes()) ?? []
            parameters.append(bytes)
            total += Self.field(2, length: bytes.count)
        }
        return total
    }

    // MARK: Writing (the same order as measuring)

    private mutating func take() -> Int {
        defer { next += 1 }
        return sizes[next]
    }

    private mutating func writeList(_ documents: [Document], topLevel: Bool = false) {
        for document in documents {
            if let range = reused(document, topLevel: topLevel), let source {
                writeHeader(1, length: range.count)
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: source.bytes[range]))
            } else {
                writeHeader(1, length: take())
                writeEntries(document.fields)
            }
        }
    }

    private mutating func writeEntries(_ entries: [String: DocValue]) {
        for (key, value) in entries {
            let entrySize = take()
            let nodeSize = take()
            writeHeader(1, length: entrySize)
            writeHeader(1, length: key.utf8.count)
            out.append(contentsOf: key.utf8)
            writeHeader(2, length: nodeSize)
            writeNode(value)
        }
    }

    private mutating func writeNode(_ value: DocValue) {
        switch value.content {
        case .null: break
        case .text(let text):
            writeHeader(1, length: text.utf8.count)
            out.append(contentsOf: text.utf8)
        case .integer(let integer):
            writeTag(2, wireType: 0)
            writeVarint(UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: integer))))
        case .float(let number):
            writeTag(3, wireType: 1)
            var bits = number.bitPattern
            for _ in 0..<8 {
                out.append(UInt8(truncatingIfNeeded: bits))
                bits >>= 8
            }
        case .boolean(let flag):
            writeTag(4, wireType: 0)
            out.append(flag ? 1 : 0)
        case .blob(let bytes):
            writeHeader(5, length: bytes.count)
            out.append(contentsOf: bytes)
        case .ndarray(let array):
            writeHeader(6, length: take())
            writeNDArray(array)
        case .doc(let document):
            writeHeader(7, length: take())
            writeEntries(document.fields)
        case .docList(let documents):
            writeHeader(8, length: take())
            writeList(documents)
        case .list(let values), .set(let values), .tuple(let values):
            let field: UInt64 = switch value.content {
            case .set: 10
            case .tuple: 11
            default: 9
            }
            writeHeader(field, length: take())
            for element in values {
                writeHeader(1, length: take())
                writeNode(element)
            }
        case .dict(let entries):
            writeHeader(12, length: take())
            writeEntries(entries)
        }
        if let type = value.docarrayType {
            writeHeader(13, length: type.utf8.count)
            out.append(contentsOf: type.utf8)
        }
    }

    private mutating func writeNDArray(_ array: NDArray) {
        writeHeader(1, length: take())
        if !array.buffer.isEmpty {
            writeHeader(1, length: array.buffer.count)
            out.append(contentsOf: array.buffer)
        }
        if !array.shape.isEmpty {
            let packed = array.shape.reduce(0) { $0 + Self.varintSize(UInt64(UInt32(truncatingIfNeeded: $1))) }
            writeHeader(2, length: packed)
            for dimension in array.shape { writeVarint(UInt64(UInt32(truncatingIfNeeded: dimension))) }
        }
        if !array.dtype.isEmpty {
            writeHeader(3, length: array.dtype.utf8.count)
            out.append(contentsOf: array.dtype.utf8)
        }
        if array.parameters != nil {
            let bytes = parameters[nextParameters]
            nextParameters += 1
            writeHeader(2, length: bytes.count)
            out.append(contentsOf: bytes)
        }
    }

    // MARK: Wire format

    private mutating func writeTag(_ field: UInt64, wireType: UInt64) {
        writeVarint(field << 3 | wireType)
    }

    /// The tag of a length-delimited field and the length.
    private mutating func writeHeader(_ field: UInt64, length: Int) {
        writeTag(field, wireType: 2)
        writeVarint(UInt64(length))
    }

    private mutating func writeVarint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        out.append(UInt8(value))
    }

    static func varintSize(_ value: UInt64) -> Int {
        var size = 1
        var value = value >> 7
        while value != 0 {
            size += 1
            value >>= 7
        }
        return size
    }

    /// The size of a length-delimited field: tag, length and body.
    static func field(_ field: UInt64, length: Int) -> Int {
        varintSize(field << 3 | 2) + varintSize(UInt64(length)) + length
    }
}
