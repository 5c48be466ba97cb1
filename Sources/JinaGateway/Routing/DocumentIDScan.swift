import JinaProto
import struct Foundation.Data

/// Answers "does every document of this request already have an id?" from the encoded `data`
/// field, without decoding anything: a walk over the protobuf wire format of
/// `DataContentProto` → `DocListProto` → `DocProto` → map entry `"id"` → `NodeProto.text`,
/// into nested documents (`doc`, `doc_array` nodes) as `Document.ensureID()` does.
///
/// The gateway gives ids only to documents that lack one (decisions.md), so the usual request,
/// whose documents all carry ids, passes through without being decoded.
enum DocumentIDScan {
    /// true: every document has a non-empty id; false: at least one has none; nil: the bytes
    /// are not well-formed (the caller decodes them and reports the problem).
    static func allDocumentsHaveIDs(_ encodedData: Data) -> Bool? {
        if encodedData.isEmpty { return true }
        return encodedData.withUnsafeBytes { raw -> Bool? in
            var reader = WireReader(raw)
            // The unknown fields of `DataRequestProtoWoData`: field 4 is `data`.
            return reader.eachLengthDelimited(field: 4) { content in
                var content = content
                // `DataContentProto`: 1 = docs (DocListProto), 2 = docs_bytes (a serialized one).
                return content.eachLengthDelimited(fields: [1, 2]) { list in docList(list) }
            }
        }
    }

    private static func docList(_ list: WireReader) -> Bool? {
        var list = list
        return list.eachLengthDelimited(field: 1) { doc in self.doc(doc) }
    }

    /// A `DocProto`: map<string, NodeProto> entries in field 1.
    private static func doc(_ doc: WireReader) -> Bool? {
        var doc = doc
        var hasID = false
        let nestedOK = doc.eachLengthDelimited(field: 1) { entry -> Bool? in
            guard let (key, node) = mapEntry(entry) else { return nil }
            if key.elementsEqual("id".utf8) {
                guard let text = nodeText(node) else { return nil }
                hasID = !text.isEmpty
                return true
            }
            return nestedDocuments(node)
        }
        guard let nestedOK else { return nil }
        return nestedOK && hasID
    }

    /// A map entry: key (field 1, string) and value (field 2, NodeProto).
    private static func mapEntry(_ entry: WireReader) -> (UnsafeRawBufferPointer, WireReader)? {
        var entry = entry
        var key = UnsafeRawBufferPointer(start: nil, count: 0)
        var value = WireReader(UnsafeRawBufferPointer(start: nil, count: 0))
        while !entry.isAtEnd {
            guard let (field, wireType) = entry.readTag() else { return nil }
            if wireType == 2, field == 1 || field == 2 {
                guard let bytes = entry.readLengthDelimited() else { return nil }
                if field == 1 { key = bytes } else { value = WireReader(bytes) }
            } else if !entry.skip(wireType: wireType) {
                return nil
            }
        }
        return (key, value)
    }

    /// The text of a `NodeProto` (field 1); empty for a node holding something else.
    private static func nodeText(_ node: WireReader) -> UnsafeRawBufferPointer? {
        var node = node
        var text = UnsafeRawBufferPointer(start: nil, count: 0)
        while !node.isAtEnd {
            guard let (field, wireType) = node.readTag() else { return nil }
            if field == 1, wireType == 2 {
                guard let bytes = node.readLengthDelimited() else { return nil }
                text = bytes
            } else if !node.skip(wireType: wireType) {
                return nil
            }
        }
        return text
    }

    /// Whether the documents inside a node (`doc` = 7, `doc_array` = 8) all have ids.
    private static func nestedDocuments(_ node: WireReader) -> Bool? {
        var node = node
        var result = true
        while !node.isAtEnd {
            guard let (field, wireType) = node.readTag() else { return nil }
            if wireType == 2, field == 7 || field == 8 {
                guard let bytes = node.readLengthDelimited(),
                      let ok = field == 7 ? doc(WireReader(bytes)) : docList(WireReader(bytes)) else { return nil }
                result = result && ok
            } else if !node.skip(wireType: wireType) {
                return nil
            }
        }
        return result
    }
}
