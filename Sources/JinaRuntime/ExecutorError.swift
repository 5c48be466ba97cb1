public import JinaCore

/// Why an executor could not be started or served: bad flags or `uses_with` (invalid input,
/// exit 2), or a failure while loading or serving, such as an address already in use
/// (runtime, exit 1). The command line renders it as `error: MESSAGE` plus the hint.
public struct ExecutorError: UserFacingError, Equatable, CustomStringConvertible {
    /// Whether the user's input was at fault.
    public var kind: FailureKind
    /// What failed, naming the flag, key, executor or address.
    public var message: String
    /// What to try next.
    public var hint: String?

    public init(_ kind: FailureKind, _ message: String, hint: String? = nil) {
        self.kind = kind
        self.message = message
        self.hint = hint
    }

    public var summary: String { message }
    public var description: String { message }
}
