#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import JinaObservability
import Logging
import Synchronization

/// Everything `jina flow` shows while it runs. Standard output carries only the ready banner
/// (scripts wait for its `ready grpc://…` lines); standard error carries progress, the
/// executors' own output (each line prefixed with the replica's name, `encoder replica 1 | …`)
/// and supervision reports.
///
/// On a terminal, start-up shows one live line per executor, redrawn in place, and the
/// executors' output is held back until start-up ends (it is still kept for failure reports);
/// elsewhere each executor that becomes ready is one log line.
final class Console: Sendable {
    struct Row: Sendable {
        var executor: String
        var total: Int
        var ready = 0
        var external: String?
        var failed = false
        var slowest: Duration = .zero
    }

    private struct State: Sendable {
        var rows: [Row] = []
        var live: Bool
        var drawnLines = 0
        var startingUp = true
    }

    let logger: Logger
    /// `json`: the executors' lines are passed on as JSON objects (theirs, or wrapped).
    let format: LogFormat
    private let state: Mutex<State>

    init(liveProgress: Bool, logger: Logger, format: LogFormat = .text) {
        self.logger = logger
        self.format = format
        state = Mutex(State(live: liveProgress))
    }

    /// Whether stderr is a terminal (and `TERM` is not `dumb`).
    static var stderrIsTerminal: Bool {
        guard isatty(2) == 1 else { return false }
        return getenv("TERM").map { String(cString: $0) } != "dumb"
    }

    // MARK: start-up

    func startupBegan(_ plan: FlowPlan, executors: [String]) {
        state.withLock { state in
            state.rows = executors.map { name in
                let replicas = plan.replicas.filter { $0.executor == name }.count
                let external = plan.externalExecutors.contains(name)
                    ? plan.addresses[name]?.flatMap { $0 }.map(\.description).joined(separator: ", ") : nil
                return Row(executor: name, total: replicas, external: external)
            }
            if state.live { redraw(&state) }
        }
    }

    func replicaReady(_ replica: ReplicaPlan, after: Duration) {
        let message: String? = state.withLock { state in
            guard let index = state.rows.firstIndex(where: { $0.executor == replica.executor }) else { return nil }
            state.rows[index].ready += 1
            state.rows[index].slowest = max(state.rows[index].slowest, after)
            let row = state.rows[index]
            if state.live {
                redraw(&state)
                return nil
            }
            guard row.ready == row.total else { return nil }
            let processes = row.total == 1 ? "" : " (\(row.total) processes)"
            return "executor \(row.executor) is ready\(processes) in \(Self.format(row.slowest))"
        }
        if let message { logger.info("\(message)") }
    }

    func replicaFailed(_ replica: ReplicaPlan) {
        state.withLock { state in
            guard let index = state.rows.firstIndex(where: { $0.executor == replica.executor }) else { return }
            state.rows[index].failed = true
            if state.live { redraw(&state) }
        }
    }

    /// Ends the live display; the executors' output flows from now on.
    func startupEnded() {
        state.withLock { $0.startingUp = false }
    }

    private func redraw(_ state: inout State) {
        let width = state.rows.map(\.executor.count).max() ?? 0
        var text = state.drawnLines > 0 ? "\u{1B}[\(state.drawnLines)A" : ""
        for row in state.rows {
            let name = row.executor + String(repeating: " ", count: max(0, width - row.executor.count))
            let status: String
            if let external = row.external {
                status = "external  \(external)"
            } else if row.failed {
                status = "\u{1B}[31mfailed\u{1B}[0m"
            } else if row.ready == row.total {
                status = "\u{1B}[32mready\u{1B}[0m     \(Self.format(row.slowest))"
            } else {
                status = "starting  \(row.ready)/\(row.total)"
            }
            text += "\r\u{1B}[2K  \(name)  \(status)\n"
        }
        state.drawnLines = state.rows.count
        Self.write(fd: 2, text)
    }

    // MARK: running

    /// One line an executor wrote (stdout lines other than `ready …`, and stderr).
    func childOutput(_ label: String, _ line: String) {
        let hold = state.withLock { $0.live && $0.startingUp }
        if hold { return }
        Self.write(fd: 2, "\(label) | \(line)\n")
    }

    /// One line of `replica`: text mode prefixes its label; JSON mode passes a JSON line (which
    /// carries `executor` and `replica` itself) as it is, and wraps any other line in an object
    /// with those fields.
    func childOutput(_ replica: ReplicaPlan, _ line: String) {
        guard format == .json else { return childOutput(replica.label, line) }
        let hold = state.withLock { $0.live && $0.startingUp }
        if hold { return }
        if line.hasPrefix("{") {
            Self.write(fd: 2, line + "\n")
            return
        }
        var handler = JinaLogHandler(label: replica.runtimeName, format: .json, sink: { Self.write(fd: 2, $0) })
        handler.metadata = ["executor": "\(replica.executor)", "replica": "\(replica.replica)", "stream": "output"]
        if replica.shards > 1 { handler.metadata["shard"] = "\(replica.shard)" }
        handler.log(event: LogEvent(level: .info, message: "\(line)", metadata: nil, source: "jina", file: #fileID, function: #function, line: #line))
    }

    /// The banner on standard output once the gateway listens.
    func banner(_ listeners: [FlowListener], processes: Int, after: Duration, metrics: [(String, String)] = []) {
        var text = "Flow is ready to serve! (\(processes) executor process\(processes == 1 ? "" : "es"), \(Self.format(after)))\n"
        for listener in listeners {
            text += "ready \(listener.url)\n"
        }
        for (what, url) in metrics {
            text += "metrics \(what) \(url)\n"
        }
        Self.write(fd: 1, text)
        logger.info("stop with Ctrl-C (SIGINT) or SIGTERM; a second one stops at once")
    }

    static func format(_ duration: Duration) -> String {
        let milliseconds = Double(duration.components.seconds) * 1000
            + Double(duration.components.attoseconds) / 1e15
        if milliseconds < 1000 { return "\(Int(milliseconds.rounded())) ms" }
        return "\((milliseconds / 10).rounded() / 100) s"
    }

    /// Straight to the file descriptor: the banner must not wait in a buffer.
    static func write(fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            bytes = bytes.dropFirst(written)
        }
    }
}
