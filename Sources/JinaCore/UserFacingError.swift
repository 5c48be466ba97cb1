/// An error that knows how to present itself to a user: one line saying what failed and where,
/// an optional hint saying what to try, and the kind of failure that decides the exit code.
///
/// Every module's public error type conforms, so the command line renders all of them in one
/// place.
public protocol UserFacingError: Error, Sendable {
    /// Whether the user's input was at fault (exit 2) or something failed while running (exit 1).
    var kind: FailureKind { get }
    /// One line: what failed, naming the place (a file position, an executor, a request id).
    var summary: String { get }
    /// What to try next, if there is something useful to say.
    var hint: String? { get }
}

/// The two families of failure the command line distinguishes.
public enum FailureKind: Sendable, Equatable {
    /// Bad flags, arguments, Flow YAML or targets: exit status 2.
    case invalidInput
    /// Could not start, lost a peer, a request failed: exit status 1.
    case runtime
}

/// A plain user-facing error for failures that need no fields beyond a message.
public struct JinaError: UserFacingError, Equatable, CustomStringConvertible {
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
