#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import JinaCore
import Synchronization

/// `reload: true`: "restart this executor's replicas now", from the file watcher to the
/// executor's supervisors. Each firing is a new generation; a replica started at generation G
/// restarts once the signal passes G.
final class ReloadSignal: Sendable {
    private struct State {
        var generation = 0
        var reason = ""
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextID = 0
    }

    private let state = Mutex(State())

    var generation: Int { state.withLock { $0.generation } }
    /// What the last firing was for (the file that changed).
    var reason: String { state.withLock { $0.reason } }

    func fire(reason: String) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.generation += 1
            state.reason = reason
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once the generation passes `generation`, or when the calling task is cancelled.
    func wait(after generation: Int) async {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.generation > generation || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }
}

/// The files whose change restarts an executor with `reload: true`: its program, its executor
/// YAML, a Python executor's `py_modules` (files, or the files directly in a package folder).
/// A built-in has none (its code is the `jina` binary).
struct ReloadFiles: Sendable, Equatable {
    var files: [String] = []
    var folders: [String] = []

    var isEmpty: Bool { files.isEmpty && folders.isEmpty }

    init(spec: ExecutorSpec, flowDirectory: String) {
        func add(_ path: String) {
            var info = stat()
            if stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR { folders.append(path) } else { files.append(path) }
        }
        switch spec.uses {
        case .program(let path):
            files.append(FlowPath.resolve(path, in: flowDirectory))
        case .config(let path):
            files.append(FlowPath.resolve(path, in: flowDirectory))
        case .builtin, .docker, .python:
            break
        }
        for module in spec.pyModules { add(FlowPath.resolve(module, in: flowDirectory)) }
    }
}
