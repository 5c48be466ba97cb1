import JinaCore

/// A request body that cannot be read: FastAPI's 422 `detail` entry (type, location under
/// `body`, message), or another status (413 for limits).
struct RequestProblem: Error, Sendable {
    var type: String
    var location: [JSONValue]
    var message: String
    var status: Int = 422

    init(type: String, location: [String], message: String, status: Int = 422) {
        self.type = type
        self.location = location.map { .string($0) }
        self.message = message
        self.status = status
    }

    /// From a document error's JSON path (`data[3].text` → `["data", 3, "text"]`).
    init(type: String, path: String, message: String) {
        self.type = type
        self.message = message
        var location: [JSONValue] = []
        for part in path.split(separator: ".") {
            var text = Substring(part)
            if let bracket = text.firstIndex(of: "[") {
                let name = text[..<bracket]
                if !name.isEmpty { location.append(.string(String(name))) }
                text = text[bracket...]
                while text.hasPrefix("["), let close = text.firstIndex(of: "]") {
                    let inner = text[text.index(after: text.startIndex)..<close]
                    location.append(Int(inner).map { .integer($0) } ?? .string(String(inner)))
                    text = text[text.index(after: close)...]
                }
            } else {
                location.append(.string(String(text)))
            }
        }
        self.location = location
    }

    /// `{"detail": [{"type", "loc": ["body", …], "msg"}]}`.
    var json: JSONValue {
        .object(["detail": .array([.object([
            "type": .string(type),
            "loc": .array([.string("body")] + location),
            "msg": .string(message),
        ])])])
    }
}
