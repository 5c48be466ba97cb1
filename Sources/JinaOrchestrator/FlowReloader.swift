public import JinaCore
public import JinaObservability
import Logging

/// `with: reload: true` (or `jina flow --reload`): runs the Flow, and when its file changes and
/// still validates, stops it gracefully and starts the new one — as Python Jina's Flow restarts
/// on a changed YAML. A file that no longer validates is reported and the running Flow keeps
/// serving. A stop signal ends it as it ends `jina flow`.
public enum FlowReloader {
    /// Runs `flow` from `flowFile` until stopped, restarting it on every valid change.
    /// `load` reads the file again (the problems it prints are the caller's concern).
    public static func run(
        flow: Flow, flowFile: String, logging: LoggingConfiguration,
        load: @escaping @Sendable () -> Flow?, start: @escaping @Sendable (Flow) async throws -> Void
    ) async throws {
        let logger = logging.logger(label: "flow")
        var current = flow
        while true {
            let changes = try FileWatcher.changes(files: [FlowPath.resolve(flowFile, in: FlowLauncher.directory(of: nil))], folders: [])
            enum Outcome: Sendable { case ended, changed(Flow) }
            let running = current
            let outcome: Outcome = try await withThrowingTaskGroup(of: Outcome.self) { group in
                group.addTask {
                    try await start(running)
                    return .ended
                }
                group.addTask {
                    // Reported once the new content is complete (closed after writing, or renamed in).
                    for await _ in changes {
                        if let next = load() { return .changed(next) }
                        logger.error("\(flowFile) changed but is not valid (see above): the running Flow keeps serving")
                    }
                    return .ended
                }
                let first = try await group.next()!
                group.cancelAll()
                return first
            }
            guard case .changed(let next) = outcome else { return }
            logger.notice("\(flowFile) changed: restarting the Flow (reload: true)")
            current = next
        }
    }
}
