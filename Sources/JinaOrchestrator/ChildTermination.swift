import JinaLifecycle

/// How a child process ended, in words for messages: `exited with status 1`,
/// `was killed by SIGKILL`.
public enum ChildTermination: Sendable, Equatable, CustomStringConvertible {
    case exited(Int32)
    case signalled(Int32)

    public var description: String {
        switch self {
        case .exited(let code): "exited with status \(code)"
        case .signalled(let signal): "was killed by \(TerminationSignals.name(signal))"
        }
    }
}
