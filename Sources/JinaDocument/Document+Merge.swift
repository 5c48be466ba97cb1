/// Merging the results of several branches or shards (decisions.md, "Merging the results"):
/// docarray's `update`/`reduce` semantics, made deterministic.
extension Document {
    /// Merges `other` (a later result for the same document) into this one, field by field:
    /// * an empty (`null`) field of `other` changes nothing; a field only `other` has is added;
    /// * document lists (`chunks`, `matches`, …) are concatenated, except that a document whose
    ///   id is already in the list is merged into that one instead of repeated (docarray's
    ///   `reduce`), so two branches passing the same chunks through do not duplicate them;
    /// * dicts (`tags`, `scores`, …) are merged key by key, `other`'s value winning;
    /// * lists are concatenated and sets gain the elements they lack (docarray's `update`);
    /// * nested documents are merged recursively;
    /// * anything else (text, numbers, bytes, tensors, tuples, or two different kinds) is
    ///   overwritten by `other`'s value, docarray type string included.
    public mutating func merge(_ other: Document) {
        for (name, incoming) in other.fields {
            guard let current = fields[name], !current.isNull else {
                fields[name] = incoming
                continue
            }
            if incoming.isNull { continue }
            fields[name] = Self.merged(current, incoming)
        }
    }

    /// This document with `other` merged into it (see `merge(_:)`).
    public func merging(_ other: Document) -> Document {
        var copy = self
        copy.merge(other)
        return copy
    }

    private static func merged(_ current: DocValue, _ incoming: DocValue) -> DocValue {
        var result = current
        switch (current.content, incoming.content) {
        case (.docList(var documents), .docList(let more)):
            documents.mergeByID(more)
            result.content = .docList(documents)
        case (.dict(let entries), .dict(let more)):
            result.content = .dict(entries.merging(more) { _, new in new })
        case (.list(let elements), .list(let more)):
            result.content = .list(elements + more)
        case (.set(let elements), .set(let more)):
            result.content = .set(elements + more.filter { !elements.contains($0) })
        case (.doc(var document), .doc(let more)):
            document.merge(more)
            result.content = .doc(document)
        default:
            result = incoming
        }
        return result
    }
}

extension Array where Element == Document {
    /// Reduces the batches of several branches (in `needs` order) or shards (in shard order)
    /// into one, as docarray's `reduce_all`: the first batch as it is, then each document of a
    /// later batch is merged (`Document.merge`) into the document with the same id, or
    /// appended when its id is new or missing. Order is first-seen.
    public init(reducing batches: [[Document]]) {
        guard var result = batches.first else {
            self = []
            return
        }
        var index = Self.idIndex(result)
        for batch in batches.dropFirst() {
            result.mergeByID(batch, index: &index)
        }
        self = result
    }

    /// Merges `documents` into this list by id (see `init(reducing:)`).
    mutating func mergeByID(_ documents: [Document]) {
        var index = Self.idIndex(self)
        mergeByID(documents, index: &index)
    }

    private mutating func mergeByID(_ documents: [Document], index: inout [String: Int]) {
        for document in documents {
            if let id = document.id, let position = index[id] {
                self[position].merge(document)
            } else {
                if let id = document.id { index[id] = count }
                append(document)
            }
        }
    }

    /// Position of the first document with each id.
    private static func idIndex(_ documents: [Document]) -> [String: Int] {
        var index: [String: Int] = [:]
        for (position, document) in documents.enumerated() {
            if let id = document.id, index[id] == nil { index[id] = position }
        }
        return index
    }
}
