public import JinaCore

/// Why a Flow could not be run: an executor that cannot be started or never became ready, a
/// gateway that cannot listen, a run directory that cannot be made. Rendered by the command
/// line like every other `UserFacingError` (exit 1, or 2 for input problems). A summary may
/// span several lines: a failed executor's last stderr lines follow it, indented.
public struct OrchestratorError: UserFacingError, Equatable, CustomStringConvertible {
    public var kind: FailureKind
    public var summary: String
    public var hint: String?

    public init(_ kind: FailureKind, _ summary: String, hint: String? = nil) {
        self.kind = kind
        self.summary = summary
        self.hint = hint
    }

    /// A runtime failure (exit 1).
    public init(_ summary: String, hint: String? = nil) {
        self.init(.runtime, summary, hint: hint)
    }

    public var description: String { summary }
}
