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
    private let signal = GenerationSignal()
    private let lastReason = Mutex("")

    var generation: Int { signal.generation }
    /// What the last firing was for (the file that changed).
    var reason: String { lastReason.withLock { $0 } }

    func fire(reason: String) {
        signal.fire { lastReason.withLock { $0 = reason } }
    }

    /// Returns once the generation passes `generation`, or when the calling task is cancelled.
    func wait(after generation: Int) async { await signal.wait(after: generation) }
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
        case .builtin, .docker, .python, .hub:
            break
        }
        for module in spec.pyModules { add(FlowPath.resolve(module, in: flowDirectory)) }
    }
}
