import JinaCore

/// Reads the JSON status the HTTP and WebSocket gateways answer a dry run with: Jina's
/// `{"code": 0, "description": "", "exception": null}` (code 1 and an exception on failure), or
/// `{}` for success on the WebSocket.
enum DryRunStatus {
    /// nil when the dry run succeeded, else what failed.
    static func problem(in text: String) -> String? {
        guard let status = try? JSONValue(parsing: text), case .object = status else {
            return "the dry run answered something that is not a JSON status: \(text.prefix(200))"
        }
        let code = status["code"]?.intValue ?? 0
        let exception = status["exception"]
        guard code != 0 || (exception != nil && exception != .null) else { return nil }
        let executor = exception?["executor"]?.stringValue.flatMap { $0.isEmpty ? nil : " (executor \($0))" } ?? ""
        let description = status["description"]?.stringValue ?? ""
        return "the dry run failed\(executor): \(description.isEmpty ? status.serialized() : description)"
    }
}
