import JinaCore

/// One change to a `VectorIndex` as its log (`index.log`) stores it:
/// `[1][u32 LE length of the JSON][JSON][float32 LE vectors, in the order of the JSON's documents]`.
/// Vectors stay binary (4 bytes a value, no parsing). The bytes come from a file on disk, so
/// reading them is a decoder like any other: anything must give a change or an `IndexChangeError`
/// (fuzzed by `scripts/fuzz.sh index-log`).
enum IndexChange {
    /// Documents stored with their vectors (documents without an id are skipped, as when written).
    case put([(id: String, vector: [Float], document: Document)])
    case delete(ids: [String])
    case clear

    /// The stored form of `change` with `vectors` after it.
    static func record(_ change: JSONValue, vectors: [[Float]]) -> [UInt8] {
        let json = change.serializedBytes()
        var bytes: [UInt8] = [1]
        bytes.reserveCapacity(5 + json.count + vectors.count * (vectors.first?.count ?? 0) * 4)
        let length = UInt32(json.count)
        bytes += [UInt8(length & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length >> 16 & 0xFF), UInt8(length >> 24)]
        bytes += json
        for vector in vectors {
            vector.withUnsafeBytes { bytes += $0 }  // little-endian, as every platform jina runs on
        }
        return bytes
    }

    static func putRecord(_ entries: [(document: Document, vector: [Float])]) -> [UInt8] {
        record(.object(["op": "put", "docs": .array(entries.map { $0.document.json() })]), vectors: entries.map(\.vector))
    }

    static func deleteRecord(_ ids: [String]) -> [UInt8] {
        record(.object(["op": "delete", "ids": .array(ids.map { .string($0) })]), vectors: [])
    }

    static let clearRecord = record(.object(["op": "clear"]), vectors: [])

    /// Reads a stored change of an index whose vectors have `dimension` values.
    init(record: [UInt8], dimension: Int) throws(IndexChangeError) {
        guard record.count >= 5, record[0] == 1 else {
            throw IndexChangeError("a stored change is in an unknown format (first byte \(record.first ?? 0))")
        }
        let length = Int(record[1]) | Int(record[2]) << 8 | Int(record[3]) << 16 | Int(record[4]) << 24
        guard length <= record.count - 5 else { throw IndexChangeError("a stored change is cut short") }
        let change: JSONValue
        do {
            change = try JSONValue(parsing: Array(record[5..<(5 + length)]))
        } catch {
            throw IndexChangeError("a stored change is not JSON: \(error)")
        }
        switch change["op"]?.stringValue {
        case "put":
            let docs = change["docs"]?.arrayValue ?? []
            let vectorBytes = dimension * 4
            let (expected, overflow) = docs.count.multipliedReportingOverflow(by: vectorBytes)
            guard !overflow, record.count - 5 - length == expected else {
                throw IndexChangeError("a stored change holds \(record.count - 5 - length) bytes of vectors for \(docs.count) documents of dimension \(dimension); was the index created with another `dim`?")
            }
            var entries: [(id: String, vector: [Float], document: Document)] = []
            entries.reserveCapacity(docs.count)
            for (position, json) in docs.enumerated() {
                let document: Document
                do {
                    document = try Document(json: json)
                } catch {
                    throw IndexChangeError("a stored document is not a document: \(error)")
                }
                guard let id = document.id else { continue }
                let start = 5 + length + position * vectorBytes
                let vector = record[start..<(start + vectorBytes)].withUnsafeBytes { raw in
                    (0..<dimension).map { raw.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) }
                }
                entries.append((id, vector, document))
            }
            self = .put(entries)
        case "delete":
            self = .delete(ids: change["ids"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        case "clear":
            self = .clear
        default:
            throw IndexChangeError("a stored change has an unknown kind \(change["op"]?.serialized() ?? "null")")
        }
    }
}

/// A stored change that cannot be read.
struct IndexChangeError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
