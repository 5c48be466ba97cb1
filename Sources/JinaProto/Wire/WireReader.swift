/// A cursor over protobuf wire-format bytes.
package struct WireReader {
    private let bytes: UnsafeRawBufferPointer
    /// Where the next read starts, from the start of the bytes.
    package private(set) var offset = 0

    package init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    package var isAtEnd: Bool { offset >= bytes.count }

    package mutating func readVarint() -> UInt64? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count, shift < 64 {
            let byte = bytes[offset]
            offset += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
        return nil
    }

    /// The next field's number and wire type; nil when the bytes end or the number is not a
    /// valid field number (0, or beyond 2^29 - 1), which protobuf decoders refuse.
    package mutating func readTag() -> (field: UInt64, wireType: UInt64)? {
        guard let tag = readVarint(), (1...0x1FFF_FFFF).contains(tag >> 3) else { return nil }
        return (tag >> 3, tag & 7)
    }

    package mutating func readLengthDelimited() -> UnsafeRawBufferPointer? {
        guard let length = readVarint(), length <= UInt64(bytes.count - offset) else { return nil }
        let start = offset
        offset += Int(length)
        return UnsafeRawBufferPointer(rebasing: bytes[start..<offset])
    }

    /// The next 8 bytes, little-endian (wire type 1: `double`, `fixed64`).
    package mutating func readFixed64() -> UInt64? {
        let start = offset
        guard advance(8) else { return nil }
        var value: UInt64 = 0
        for index in (start..<offset).reversed() { value = value << 8 | UInt64(bytes[index]) }
        return value
    }

    /// Skips one value of `wireType`; false when the bytes end early or the type is unknown.
    package mutating func skip(wireType: UInt64) -> Bool {
        switch wireType {
        case 0: return readVarint() != nil
        case 1: return advance(8)
        case 2: return readLengthDelimited() != nil
        case 5: return advance(4)
        default: return false
        }
    }

    private mutating func advance(_ count: Int) -> Bool {
        guard bytes.count - offset >= count else { return false }
        offset += count
        return true
    }

    /// Calls `body` for every length-delimited value of `field` (skipping the rest) and ANDs
    /// the answers; nil as soon as the bytes are malformed or `body` says nil.
    package mutating func eachLengthDelimited(field: UInt64, _ body: (WireReader) -> Bool?) -> Bool? {
        eachLengthDelimited(fields: [field], body)
    }

    package mutating func eachLengthDelimited(fields: [UInt64], _ body: (WireReader) -> Bool?) -> Bool? {
        var result = true
        while !isAtEnd {
            guard let (field, wireType) = readTag() else { return nil }
            if wireType == 2, fields.contains(field) {
                guard let value = readLengthDelimited(), let answer = body(WireReader(value)) else { return nil }
                result = result && answer
            } else if !skip(wireType: wireType) {
                return nil
            }
        }
        return result
    }
}
