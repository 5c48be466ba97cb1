/// A document, tensor or JSON text that cannot be read, with the path of the offending value so
/// that the HTTP gateway can answer 422 naming it (`data[3].embedding: expected …`).
public struct DocumentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, e.g. `expected a string, got a number`.
    public var message: String
    /// Where, as a JSON path (`data[3].chunks[0].text`); empty for the value as a whole.
    public var path: String

    /// Creates an error for the value at `path`.
    public init(_ message: String, path: String = "") {
        self.message = message
        self.path = path
    }

    /// `PATH: MESSAGE`, or only the message when there is no path.
    public var description: String {
        path.isEmpty ? message : "\(path): \(message)"
    }
}

/// Builds JSON paths for error messages: `data` + `3` → `data[3]`, `data[3]` + `text` → `data[3].text`.
enum JSONPath {
    /// The path of member `key` inside `path`.
    static func member(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    /// The path of element `index` inside `path`.
    static func element(_ path: String, _ index: Int) -> String {
        "\(path)[\(index)]"
    }
}
