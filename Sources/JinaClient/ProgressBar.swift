#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A one-line progress display on stderr (documents and requests done, rate), redrawn at most
/// ten times a second; silent unless stderr is a terminal, so logs and pipes stay clean.
public struct ProgressBar {
    private let enabled: Bool
    private let clock = ContinuousClock()
    private let started: ContinuousClock.Instant
    private var lastDrawn: ContinuousClock.Instant?

    /// Enabled only when stderr is a terminal (unless `force` says otherwise).
    public init(force: Bool? = nil) {
        enabled = force ?? (isatty(STDERR_FILENO) == 1)
        started = clock.now
    }

    public mutating func update(documents: Int, requests: Int) {
        guard enabled else { return }
        let now = clock.now
        if let lastDrawn, now - lastDrawn < .milliseconds(100) { return }
        lastDrawn = now
        draw(documents: documents, requests: requests, now: now)
    }

    /// Draws the final totals and ends the line.
    public mutating func finish(documents: Int, requests: Int) {
        guard enabled, lastDrawn != nil else { return }
        draw(documents: documents, requests: requests, now: clock.now)
        Self.writeError("\n")
    }

    private func draw(documents: Int, requests: Int, now: ContinuousClock.Instant) {
        let elapsed = now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = seconds > 0 ? Int(Double(documents) / seconds) : 0
        Self.writeError("\r\u{1B}[2K\(documents) documents, \(requests) requests, \(rate) docs/s")
    }

    private static func writeError(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }
}
