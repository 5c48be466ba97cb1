/// When to restart an executor that died: exponential backoff from `initial`, doubling up to
/// `maximum`; a process that stayed up for `stableAfter` is considered healthy again and its
/// next crash restarts it after `initial` once more.
public struct RestartBackoff: Sendable, Equatable {
    public var initial: Duration
    public var maximum: Duration
    public var multiplier: Int
    public var stableAfter: Duration

    /// 100 ms, 200 ms, 400 ms … 5 s; reset after 30 s of uptime.
    public static let standard = RestartBackoff(
        initial: .milliseconds(100), maximum: .seconds(5), multiplier: 2, stableAfter: .seconds(30))

    public init(initial: Duration, maximum: Duration, multiplier: Int, stableAfter: Duration) {
        self.initial = initial
        self.maximum = maximum
        self.multiplier = max(1, multiplier)
        self.stableAfter = stableAfter
    }

    /// The delays of one executor's successive restarts.
    public struct State: Sendable, Equatable {
        /// Restarts since the process was last stable.
        public private(set) var consecutiveFailures = 0
        let policy: RestartBackoff

        init(policy: RestartBackoff) { self.policy = policy }

        /// The wait before the next start, given how long the process that just ended was up.
        public mutating func delay(afterUptime uptime: Duration) -> Duration {
            if uptime >= policy.stableAfter { consecutiveFailures = 0 }
            var delay = policy.initial
            for _ in 0..<consecutiveFailures {
                delay = delay * policy.multiplier
                if delay >= policy.maximum { delay = policy.maximum; break }
            }
            consecutiveFailures += 1
            return min(delay, policy.maximum)
        }
    }

    /// A fresh sequence of delays.
    public func makeState() -> State { State(policy: self) }
}
