import JinaCore

/// `jina ping`: checks a Flow (dry run), gateway or executor (health) a number of times, over
/// whichever protocol the target's scheme names (the transport knows how).
public enum Pinger {
    /// One check's outcome.
    public struct Check: Sendable {
        public var ok: Bool
        /// Why it failed.
        public var error: String?
        public var latency: Duration
    }

    /// The outcome of every attempt.
    public struct Report: Sendable {
        public var target: GatewayTarget
        public var kind: PingKind
        public var attempts: Int
        public var successes: Int
        public var minimumSuccesses: Int
        public var lastError: String?
        /// Latency of the last successful check.
        public var latency: Duration?

        public var ok: Bool { successes >= minimumSuccesses }

        /// One JSON object for scripts.
        public var json: String {
            var members: [String: JSONValue] = [
                "target": .string(target.description), "kind": .string(kind.rawValue),
                "attempts": .integer(attempts), "successes": .integer(successes), "ok": .bool(ok),
                "last_error": lastError.map(JSONValue.string) ?? .null,
                "latency_ms": latency.map { .number(($0.milliseconds * 1000).rounded() / 1000) } ?? .null,
            ]
            members["min_successful_attempts"] = .integer(minimumSuccesses)
            return JSONValue.object(members).serialized()
        }
    }

    /// Checks `attempts` times, pausing a second between attempts (as Jina does: pacing, not
    /// polling); `onCheck` sees each outcome.
    public static func run(
        kind: PingKind, target: GatewayTarget, security: ClientSecurity = ClientSecurity(), timeout: Duration?,
        attempts: Int, minimumSuccesses: Int, onCheck: (Int, Check) -> Void = { _, _ in }
    ) async -> Report {
        var report = Report(target: target, kind: kind, attempts: attempts, successes: 0, minimumSuccesses: minimumSuccesses)
        for attempt in 1...max(attempts, 1) {
            if attempt > 1 {
                do { try await Task.sleep(for: .seconds(1)) } catch { break }
            }
            let check = await check(kind: kind, target: target, security: security, timeout: timeout)
            if check.ok {
                report.successes += 1
                report.latency = check.latency
            } else {
                report.lastError = check.error
            }
            onCheck(attempt, check)
        }
        return report
    }

    /// One check.
    public static func check(kind: PingKind, target: GatewayTarget, security: ClientSecurity = ClientSecurity(), timeout: Duration?) async -> Check {
        let started = ContinuousClock.now
        let problem = await ClientTransports.make(target, security: security, inFlight: 1).check(kind, timeout: timeout)
        return Check(ok: problem == nil, error: problem, latency: ContinuousClock.now - started)
    }
}

extension Duration {
    /// The duration in milliseconds, fractional.
    public var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
