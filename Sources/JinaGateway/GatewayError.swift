public import JinaCore

/// The gateway's public error: what failed (naming the executor, port or target), what to try,
/// and whether the user's input was at fault (exit 2) or something failed while running (exit 1).
public struct GatewayError: UserFacingError, Equatable, CustomStringConvertible {
    public var kind: FailureKind
    public var summary: String
    public var hint: String?

    public init(_ kind: FailureKind, _ summary: String, hint: String? = nil) {
        self.kind = kind
        self.summary = summary
        self.hint = hint
    }

    public var description: String { summary }
}
