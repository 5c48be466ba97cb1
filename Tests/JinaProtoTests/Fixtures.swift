import Foundation
import JinaCore

/// Files in Tests/Fixtures (made by the real Python docarray/Jina; see its README).
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: root.appendingPathComponent(name))
    }

    static func json(_ name: String) throws -> JSONValue {
        try JSONValue(parsing: [UInt8](data(name)))
    }

    /// The docarray fixtures that hold one `DocProto`.
    static let singleDocuments = ["text-doc", "text-doc-all-fields", "image-doc", "product-doc", "nested-doc"]
}

/// JSON equality as Python sees it: numbers compare by value (`1` equals `1.0`).
func semanticallyEqual(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
    switch (lhs, rhs) {
    case (.integer, _), (.number, _):
        guard let a = lhs.doubleValue, let b = rhs.doubleValue else { return false }
        return a == b
    case (.array(let a), .array(let b)):
        return a.count == b.count && zip(a, b).allSatisfy(semanticallyEqual)
    case (.object(let a), .object(let b)):
        return a.count == b.count && a.allSatisfy { key, value in b[key].map { semanticallyEqual(value, $0) } ?? false }
    default:
        return lhs == rhs
    }
}
