public import JinaCore

/// Why a Flow could not be run: an executor that cannot be started or never became ready, a
/// gateway that cannot listen, a run directory that cannot be made. Rendered by the command
/// line like every other `UserFacingError` (exit 1, or 2 for input problems).
public struct OrchestratorError: UserFacingError, Equatable, CustomStringConvertible {
    public var kind: FailureKind
    public var summary: String
    public var hint: String?
    /// Lines shown after the summary: the last lines a failed executor wrote to stderr.
    public var details: [String]

    public init(_ kind: FailureKind = .runtime, _ summary: String, hint: String? = nil, details: [String] = []) {
        self.kind = kind
        self.summary = summary
        self.hint = hint
        self.details = details
    }

    public var description: String { summary }
}
