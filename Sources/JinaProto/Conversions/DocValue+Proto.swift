public import JinaCore
import SwiftProtobuf
#if canImport(FoundationEssentials)
import struct FoundationEssentials.Data
#else
import struct Foundation.Data
#endif

/// `DocValue` ⇄ `docarray.NodeProto`, one to one: the `content` case picks the oneof field of
/// the same name and `docarrayType` is the node's `type`. An empty node (no content) is `.null`.
extension DocValue {
    /// Reads a node. Throws when a tensor's buffer does not fit its shape and dtype; `path`
    /// names the node in the error (`docs[0].tags.size`).
    public init(proto node: Docarray_NodeProto, path: String = "") throws(DocumentError) {
        let type: String? = if case .type(let name)? = node.docarrayType { name } else { nil }
        let content: Content
        switch node.content {
        case nil: content = .null
        case .text(let value)?: content = .text(value)
        case .integer(let value)?: content = .integer(Int(value))
        case .float(let value)?: content = .float(value)
        case .boolean(let value)?: content = .boolean(value)
        case .blob(let value)?: content = .blob([UInt8](value))
        case .ndarray(let value)?: content = .ndarray(try NDArray(proto: value, path: path))
        case .doc(let value)?: content = .doc(try Document(proto: value, path: path))
        case .docArray(let value)?: content = .docList(try [Document](proto: value, path: path))
        case .list(let value)?: content = .list(try Self.elements(value, path: path))
        case .set(let value)?: content = .set(try Self.elements(value, path: path))
        case .tuple(let value)?: content = .tuple(try Self.elements(value, path: path))
        case .dict(let value)?: content = .dict(try Self.entries(value.data, path: path))
        }
        self.init(content, docarrayType: type)
    }

    /// The node on the wire. Throws for an integer outside int32 (the wire's `integer`), as
    /// docarray itself refuses one.
    public func proto(path: String = "") throws(DocumentError) -> Docarray_NodeProto {
        var node = Docarray_NodeProto()
        switch content {
        case .null: break
        case .text(let value): node.content = .text(value)
        case .integer(let value):
            guard let narrow = Int32(exactly: value) else {
                throw DocumentError("integer \(value) does not fit the wire's int32", path: path)
            }
            node.content = .integer(narrow)
        case .float(let value): node.content = .float(value)
        case .boolean(let value): node.content = .boolean(value)
        case .blob(let value): node.content = .blob(Data(value))
        case .ndarray(let value): node.content = .ndarray(value.proto())
        case .doc(let value): node.content = .doc(try value.proto(path: path))
        case .docList(let value): node.content = .docArray(try value.proto(path: path))
        case .list(let value): node.content = .list(try Self.listProto(value, path: path))
        case .set(let value): node.content = .set(try Self.listProto(value, path: path))
        case .tuple(let value): node.content = .tuple(try Self.listProto(value, path: path))
        case .dict(let value):
            var dict = Docarray_DictOfAnyProto()
            dict.data = try Self.entriesProto(value, path: path)
            node.content = .dict(dict)
        }
        if let docarrayType { node.docarrayType = .type(docarrayType) }
        return node
    }

    /// The elements of a list, set or tuple node.
    private static func elements(_ list: Docarray_ListOfAnyProto, path: String) throws(DocumentError) -> [DocValue] {
        var result: [DocValue] = []
        result.reserveCapacity(list.data.count)
        for (index, node) in list.data.enumerated() {
            result.append(try DocValue(proto: node, path: "\(path)[\(index)]"))
        }
        return result
    }

    /// Map entries (a document's fields or a dict node's data).
    static func entries(_ map: [String: Docarray_NodeProto], path: String) throws(DocumentError) -> [String: DocValue] {
        var result: [String: DocValue] = [:]
        result.reserveCapacity(map.count)
        for (key, node) in map {
            result[key] = try DocValue(proto: node, path: path.isEmpty ? key : "\(path).\(key)")
        }
        return result
    }

    private static func listProto(_ values: [DocValue], path: String) throws(DocumentError) -> Docarray_ListOfAnyProto {
        var list = Docarray_ListOfAnyProto()
        list.data.reserveCapacity(values.count)
        for (index, value) in values.enumerated() {
            list.data.append(try value.proto(path: "\(path)[\(index)]"))
        }
        return list
    }

    static func entriesProto(_ values: [String: DocValue], path: String) throws(DocumentError) -> [String: Docarray_NodeProto] {
        var map: [String: Docarray_NodeProto] = [:]
        map.reserveCapacity(values.count)
        for (key, value) in values {
            map[key] = try value.proto(path: path.isEmpty ? key : "\(path).\(key)")
        }
        return map
    }
}

/// `NDArray` ⇄ `docarray.NdArrayProto`: the dense buffer, shape and dtype as they are, and the
/// optional `parameters` Struct.
extension NDArray {
    /// Reads a tensor; throws when the buffer size does not match shape × item size.
    public init(proto: Docarray_NdArrayProto, path: String = "") throws(DocumentError) {
        let parameters = proto.hasParameters ? proto.parameters.jsonObject : nil
        do {
            try self.init(
                buffer: [UInt8](proto.dense.buffer), shape: proto.dense.shape.map { Int($0) },
                dtype: proto.dense.dtype, parameters: parameters)
        } catch {
            throw DocumentError(error.message, path: path)
        }
    }

    /// The tensor on the wire.
    public func proto() -> Docarray_NdArrayProto {
        var proto = Docarray_NdArrayProto()
        proto.dense.buffer = Data(buffer)
        proto.dense.shape = shape.map { UInt32(truncatingIfNeeded: $0) }
        proto.dense.dtype = dtype
        if let parameters { proto.parameters = Google_Protobuf_Struct(json: parameters) }
        return proto
    }
}
