package import JinaCore
import SwiftProtobuf
#if canImport(FoundationEssentials)
import struct FoundationEssentials.Data
#else
import struct Foundation.Data
#endif

/// Reads documents straight from the protobuf bytes of a request's `data` field
/// (`DataContentProto` → `DocListProto` → `DocProto` → `NodeProto`), without building
/// SwiftProtobuf's messages first: the executor's and the gateway's fast path.
///
/// It takes only the plain shape that every encoder writes: each message field once, one
/// `content` per node, nothing nested deeper than `maxDepth`. Anything else (a field repeated
/// where protobuf would merge, `docs_bytes`, a wrong wire type, malformed bytes, a tensor whose
/// buffer does not fit its shape) makes it answer nil, and the caller decodes with
/// SwiftProtobuf, whose answer or error stands. So both paths agree by construction; the fuzz
/// target `document-wire` checks it.
package enum DocumentWireDecoder {
    /// Nesting deeper than this goes to SwiftProtobuf (which refuses beyond its own limit).
    static let maxDepth = 32

    /// The documents of an encoded `data` field as `DataRequestProtoWoData` keeps it (tag 4,
    /// length, `DataContentProto`); nil when the bytes are not of the plain shape. Top-level
    /// documents remember `batch` and their position (see `Document.origin`).
    package static func documents(inDataField bytes: UnsafeRawBufferPointer, batch: UInt64?) -> [Document]? {
        guard let list = docListRange(inDataField: bytes) else { return nil }
        guard let list = list else { return [] }
        var reader = WireReader(UnsafeRawBufferPointer(rebasing: bytes[list]))
        var documents: [Document] = []
        while !reader.isAtEnd {
            guard let (field, wireType) = reader.readTag(), field == 1, wireType == 2,
                  let body = reader.readLengthDelimited(), var document = doc(body, depth: 1) else { return nil }
            if let batch { document.origin = DocumentOrigin(batch: batch, index: documents.count) }
            documents.append(document)
        }
        return documents
    }

    /// Where each top-level document's `DocProto` lies in an encoded `data` field, in order;
    /// nil when the bytes are not of the plain shape.
    package static func documentRanges(inDataField bytes: UnsafeRawBufferPointer) -> [Range<Int>]? {
        guard let list = docListRange(inDataField: bytes) else { return nil }
        guard let list = list else { return [] }
        var reader = WireReader(UnsafeRawBufferPointer(rebasing: bytes[list]))
        var ranges: [Range<Int>] = []
        while !reader.isAtEnd {
            guard let (field, wireType) = reader.readTag(), field == 1, wireType == 2,
                  let body = reader.readLengthDelimited() else { return nil }
            let end = list.lowerBound + reader.offset
            ranges.append(end - body.count..<end)
        }
        return ranges
    }

    /// The `DocListProto` inside the `data` field: nil when not the plain shape, `.some(nil)`
    /// when the request has no documents.
    private static func docListRange(inDataField bytes: UnsafeRawBufferPointer) -> Range<Int>?? {
        if bytes.isEmpty { return .some(nil) }
        var outer = WireReader(bytes)
        guard let (field, wireType) = outer.readTag(), field == 4, wireType == 2,
              let content = outer.readLengthDelimited(), outer.isAtEnd else { return nil }
        let contentStart = outer.offset - content.count
        var reader = WireReader(content)
        if reader.isAtEnd { return .some(nil) }
        guard let (listField, listType) = reader.readTag(), listField == 1, listType == 2,
              let list = reader.readLengthDelimited(), reader.isAtEnd else { return nil }
        let start = contentStart + reader.offset - list.count
        return .some(start..<start + list.count)
    }

    /// A `DocProto`: its map entries (field 1).
    private static func doc(_ bytes: UnsafeRawBufferPointer, depth: Int) -> Document? {
        guard let fields = entries(bytes, depth: depth) else { return nil }
        return Document(fields: fields)
    }

    /// `map<string, NodeProto>` entries in field 1 (a `DocProto` or a `DictOfAnyProto`); a
    /// repeated key keeps its last value, as protobuf does.
    private static func entries(_ bytes: UnsafeRawBufferPointer, depth: Int) -> [String: DocValue]? {
        guard depth <= maxDepth else { return nil }
        var reader = WireReader(bytes)
        var result: [String: DocValue] = [:]
        while !reader.isAtEnd {
            guard let (field, wireType) = reader.readTag() else { return nil }
            guard field == 1 else {
                if !reader.skip(wireType: wireType) { return nil }
                continue
            }
            guard wireType == 2, let entry = reader.readLengthDelimited(),
                  let (key, value) = mapEntry(entry, depth: depth) else { return nil }
            result[key] = value
        }
        return result
    }

    /// One map entry: key (1, string), value (2, NodeProto); a missing part is its default.
    private static func mapEntry(_ bytes: UnsafeRawBufferPointer, depth: Int) -> (String, DocValue)? {
        var reader = WireReader(bytes)
        var key: String?
        var value: DocValue?
        while !reader.isAtEnd {
            guard let (field, wireType) = reader.readTag() else { return nil }
            switch field {
            case 1:
                guard key == nil, wireType == 2, let raw = reader.readLengthDelimited(),
                      let text = string(raw) else { return nil }
                key = text
            case 2:
                guard value == nil, wireType == 2, let raw = reader.readLengthDelimited(),
                      let node = node(raw, depth: depth + 1) else { return nil }
                value = node
            default:
                if !reader.skip(wireType: wireType) { return nil }
            }
        }
        return (key ?? "", value ?? DocValue(.null))
    }

    /// A `NodeProto`: at most one `content` field and at most one `type`.
    private static func node(_ bytes: UnsafeRawBufferPointer, depth: Int) -> DocValue? {
        guard depth <= maxDepth else { return nil }
        var reader = WireReader(bytes)
        var content: DocValue.Content?
        var type: String?
        while !reader.isAtEnd {
            guard let (field, wireType) = reader.readTag() else { return nil }
            if field == 13 {
                guard type == nil, wireType == 2, let raw = reader.readLengthDelimited(), let text = string(raw) else { return nil }
                type = text
                continue
            }
            guard (1...12).contains(field) else {
                if !reader.skip(wireType: wireType) { return nil }
                continue
            }
            guard content == nil else { return nil }
            switch (field, wireType) {
            case (2, 0):
                guard let raw = reader.readVarint() else { return nil }
                content = .integer(Int(Int32(truncatingIfNeeded: raw)))
            case (3, 1):
                guard let raw = reader.readFixed64() else { return nil }
                content = .float(Double(bitPattern: raw))
            case (4, 0):
                guard let raw = reader.readVarint() else { return nil }
                content = .boolean(raw != 0)
            case (_, 2):
                guard let raw = reader.readLengthDelimited(),
                      let value = lengthDelimitedContent(field: field, raw, depth: depth) else { return nil }
                content = value
            default:
                return nil
            }
        }
        return DocValue(content ?? .null, docarrayType: type)
    }

    /// The length-delimited `content` members of a node.
    private static func lengthDelimitedContent(field: UInt64, _ raw: UnsafeRawBufferPointer, depth: Int) -> DocValue.Content? {
        switch field {
        case 1: string(raw).map { .text($0) }
        case 5: .blob([UInt8](raw))
        case 6: ndarray(raw).map { .ndarray($0) }
        case 7: doc(raw, depth: depth + 1).map { .doc($0) }
        case 8: docList(raw, depth: depth + 1).map { .docList($0) }
        case 9: list(raw, depth: depth + 1).map { .list($0) }
        case 10: list(raw, depth: depth + 1).map { .set($0) }
        case 11: list(raw, depth: depth + 1).map { .tuple($0) }
        case 12: entries(raw, depth: depth + 1).map { .dict($0) }
        default: nil
        }
    }

    /// A nested `DocListProto` (a `doc_array` node: chunks, matches).
    private static func docList(_ bytes: UnsafeRawBufferPointer, depth: Int) -> [Document]? {
        guard depth <= maxDepth else { return nil }
        var reader = WireReader(bytes)
        var documents: [Document] = []
        while !reader.isAtEnd {
            guard let (field, wireType) = reader.readTag() else { return nil }
            guard field == 1 else {
                if !reader.skip(wireType: wireType) { return nil }
                continue
            }
            guard wireType == 2, let body = reader.readLengthDelimited(), let document = doc(body, depth: depth + 1) else { return nil }
            documents.append(document)
        }
        return documents
    }

    /// A `ListOfAnyProto`: nodes in field 1.
    private static func list(_ bytes: UnsafeRawBufferPointer, depth: Int) -> [DocValue]? {
        guard depth <= maxDepth else { return nil }
        var reader = WireReader(bytes)
        var values: [DocValue] = []
        while !reader.isAtEnd {
            guard let (field, wireType) = reader.readTag() else { return nil }
            guard field == 1 else {
                if !reader.skip(wireType: wireType) { return nil }
                continue
            }
            guard wireType == 2, let raw = reader.readLengthDelimited(), let value = node(raw, depth: depth + 1) else { return nil }
            values.append(value)
        }
        return values
    }

    /// An `NdArrayProto`: `dense` (1: buffer, shape, dtype) and the optional `parameters` (2, a
    /// `google.protobuf.Struct`, decoded by SwiftProtobuf).
    private static func ndarray(_ bytes: UnsafeRawBufferPointer) -> NDArray? {
        var reader = WireReader(bytes)
        var dense: UnsafeRawBufferPointer?
        var parameters: [String: JSONValue]?
        while !reader.isAtEnd {
            guard let (field, wireType) = reader.readTag() else { return nil }
            switch field {
            case 1:
                guard dense == nil, wireType == 2, let raw = reader.readLengthDelimited() else { return nil }
                dense = raw
            case 2:
                guard parameters == nil, wireType == 2, let raw = reader.readLengthDelimited(),
                      let value = try? Google_Protobuf_Struct(serializedBytes: [UInt8](raw)) else { return nil }
                parameters = value.jsonObject
            default:
                if !reader.skip(wireType: wireType) { return nil }
            }
        }
        var buffer: [UInt8] = []
        var shape: [Int] = []
        var dtype = ""
        if let dense {
            var reader = WireReader(dense)
            while !reader.isAtEnd {
                guard let (field, wireType) = reader.readTag() else { return nil }
                switch (field, wireType) {
                case (1, 2):
                    guard let raw = reader.readLengthDelimited() else { return nil }
                    buffer = [UInt8](raw)
                case (2, 2):
                    guard let raw = reader.readLengthDelimited() else { return nil }
                    var packed = WireReader(raw)
                    while !packed.isAtEnd {
                        guard let value = packed.readVarint() else { return nil }
                        shape.append(Int(UInt32(truncatingIfNeeded: value)))
                    }
                case (2, 0):
                    guard let value = reader.readVarint() else { return nil }
                    shape.append(Int(UInt32(truncatingIfNeeded: value)))
                case (3, 2):
                    guard let raw = reader.readLengthDelimited(), let text = string(raw) else { return nil }
                    dtype = text
                case (1...3, _):
                    return nil
                default:
                    if !reader.skip(wireType: wireType) { return nil }
                }
            }
        }
        return try? NDArray(buffer: buffer, shape: shape, dtype: dtype, parameters: parameters)
    }

    /// UTF-8 text; nil when it is not valid UTF-8 (SwiftProtobuf refuses it too). ASCII, the
    /// usual case, is checked with a plain byte scan: the standard library's general validation
    /// costs more than the rest of a small document's decoding (callgrind: ~2,000 instructions
    /// per string, most of them generic metadata lookups).
    private static func string(_ raw: UnsafeRawBufferPointer) -> String? {
        raw.withMemoryRebound(to: UInt8.self) { bytes in
            var high: UInt8 = 0
            for byte in bytes { high |= byte }
            if high < 0x80 { return String(decoding: bytes, as: UTF8.self) }
            return String(validating: bytes, as: UTF8.self)
        }
    }
}
