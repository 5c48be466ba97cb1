import JinaCore

/// How deeply a GraphQL request text nests `{`, `[` and `(`, measured before it is parsed: the
/// GraphQL library parses, validates and executes recursively, and a query nested a few
/// thousand levels deep (`matches { matches { … } }` is valid at any depth) would overflow the
/// stack and take the gateway down. Strings, block strings and comments are skipped.
enum QueryNesting {
    /// The deepest nesting `/graphql` accepts; the document schema is two levels deep in
    /// practice (matches of chunks), so real queries stay far below it.
    static let limit = 48

    /// Whether `text` nests deeper than `limit`.
    static func exceeds(_ text: String, limit: Int = QueryNesting.limit) -> Bool {
        var depth = 0
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "#"):
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
            case UInt8(ascii: "\""):
                if index + 2 < bytes.count, bytes[index + 1] == byte, bytes[index + 2] == byte {
                    // A block string ends at the next unescaped `"""`.
                    index += 3
                    while index + 2 < bytes.count,
                          !(bytes[index] == byte && bytes[index + 1] == byte && bytes[index + 2] == byte) {
                        index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                    }
                    index += 2
                } else {
                    index += 1
                    while index < bytes.count, bytes[index] != byte, bytes[index] != UInt8(ascii: "\n") {
                        index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                    }
                }
            case UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "("):
                depth += 1
                if depth > limit { return true }
            case UInt8(ascii: "}"), UInt8(ascii: "]"), UInt8(ascii: ")"):
                depth -= 1
            default:
                break
            }
            index += 1
        }
        return false
    }
}

extension QueryNesting {
    /// Whether a JSON value (the request's `variables`) nests deeper than `limit`.
    static func exceeds(_ value: JSONValue, limit: Int = QueryNesting.limit) -> Bool {
        var stack: [(JSONValue, Int)] = [(value, 1)]
        while let (value, depth) = stack.popLast() {
            switch value {
            case .array(let items):
                if depth > limit { return true }
                stack += items.map { ($0, depth + 1) }
            case .object(let members):
                if depth > limit { return true }
                stack += members.values.map { ($0, depth + 1) }
            default:
                break
            }
        }
        return false
    }
}
