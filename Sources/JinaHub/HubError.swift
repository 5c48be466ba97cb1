public import JinaCore

/// A failure of a Hub command or of resolving a Flow's Hub references: one line naming the
/// reference, registry or file, and what to try. Registry and cache failures are runtime
/// failures (exit 1); a malformed package folder or reference is invalid input (exit 2).
public struct HubError: UserFacingError, Equatable, CustomStringConvertible {
    public var kind: FailureKind
    public var summary: String
    public var hint: String?

    public init(_ kind: FailureKind = .runtime, _ summary: String, hint: String? = nil) {
        self.kind = kind
        self.summary = summary
        self.hint = hint
    }

    public var description: String { summary }
}
