public import JinaCore

/// Why OpenTelemetry tracing or metrics could not start (bad settings: exit status 2).
public struct TelemetryError: UserFacingError, CustomStringConvertible {
    public let description: String
    public let hint: String?
    public var kind: FailureKind { .invalidInput }
    public var summary: String { description }

    public init(hint: String? = nil, _ description: String) {
        self.description = description
        self.hint = hint
    }
}
