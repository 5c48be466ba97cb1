public import JinaCore

/// The client's public error: a failed request (naming its request id and the executor that
/// failed), an unreachable or refusing gateway, or bad input (a malformed target, flag or input
/// line). Rendered by the command line like every other `UserFacingError`.
public struct ClientError: UserFacingError, Equatable, CustomStringConvertible {
    public var kind: FailureKind
    public var summary: String
    public var hint: String?
    /// The request that failed, when one did.
    public var requestID: String?
    /// The executor that raised the error, when the gateway said which.
    public var executor: String?

    public init(_ kind: FailureKind, _ summary: String, hint: String? = nil, requestID: String? = nil, executor: String? = nil) {
        self.kind = kind
        self.summary = summary
        self.hint = hint
        self.requestID = requestID
        self.executor = executor
    }

    public var description: String { summary }

    /// A request the gateway answered with an error (an executor raised, or the gateway refused it).
    public static func requestFailed(requestID: String, executor: String?, message: String) -> ClientError {
        let place = executor.map { $0.isEmpty ? "" : " in executor `\($0)`" } ?? ""
        return ClientError(.runtime, "request \(requestID) failed\(place): \(message)", requestID: requestID, executor: executor)
    }

    /// The gateway could not be reached or broke the connection.
    public static func unreachable(_ target: GatewayTarget, _ cause: String) -> ClientError {
        ClientError(.runtime, "cannot talk to \(target): \(cause)",
                    hint: "check the address and protocol (`jina ping gateway \(target)`)"
                        + (target.usesTLS ? "; for a certificate from a private CA pass --ca FILE" : ""))
    }

    /// The gateway rejected the token (or demanded one).
    public static func unauthenticated(_ target: GatewayTarget, _ cause: String) -> ClientError {
        ClientError(.runtime, "\(target) refused the request as unauthenticated: \(cause)",
                    hint: "pass the gateway's token with --token or --token-env NAME")
    }

    /// An input line that is not a document.
    public static func badInput(source: String, line: Int, _ message: String) -> ClientError {
        ClientError(.invalidInput, "\(source):\(line): \(message)",
                    hint: "each line must be one JSON object (a document); use --text for plain text lines")
    }
}
