import Dispatch
import Foundation

/// A program run by a test like a user would: stdout through a pipe, read line by line without
/// polling; stderr to a file; exit status collected with `waitpid`.
final class ChildProcess: @unchecked Sendable {
    let pid: pid_t
    let stderrPath: String
    private let stdoutFD: Int32
    private var buffer: [UInt8] = []

    init(_ path: String, _ arguments: [String]) throws {
        var pipeFDs: [Int32] = [0, 0]
        guard pipe(&pipeFDs) == 0 else { throw TestFailure("pipe failed") }
        stderrPath = NSTemporaryDirectory() + "child-\(UUID().uuidString).err"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipeFDs[1], 1)
        posix_spawn_file_actions_addclose(&actions, pipeFDs[0])
        posix_spawn_file_actions_addclose(&actions, pipeFDs[1])
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let result = posix_spawn(&child, path, &actions, nil, argv, environ)
        close(pipeFDs[1])
        guard result == 0 else {
            close(pipeFDs[0])
            throw TestFailure("cannot run \(path): \(String(cString: strerror(result)))")
        }
        pid = child
        stdoutFD = pipeFDs[0]
    }

    deinit { close(stdoutFD) }

    /// The next line of stdout, nil at end of file. The blocking read runs on a Dispatch thread.
    func readLine() async -> String? {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: self.blockingReadLine())
            }
        }
    }

    private func blockingReadLine() -> String? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = read(stdoutFD, &chunk, chunk.count)
            if count <= 0 {
                if count < 0, errno == EINTR { continue }
                guard !buffer.isEmpty else { return nil }
                defer { buffer = [] }
                return String(decoding: buffer, as: UTF8.self)
            }
            buffer.append(contentsOf: chunk[..<count])
        }
    }

    func send(_ signal: Int32) { kill(pid, signal) }

    /// Waits for the exit status (128 + signal number when killed by a signal); after
    /// `timeout` the process is killed so a hung child cannot hang the test run.
    func waitForExit(timeout: Duration = .seconds(30)) async -> Int32 {
        await withTaskGroup(of: Int32?.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    DispatchQueue.global().async {
                        var status: Int32 = 0
                        while waitpid(self.pid, &status, 0) < 0, errno == EINTR {}
                        let low = status & 0x7F
                        continuation.resume(returning: low == 0 ? (status >> 8) & 0xFF : 128 + low)
                    }
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                if !Task.isCancelled { self.send(SIGKILL) }
                return nil
            }
            var status: Int32 = -1
            for await result in group {
                if let result {
                    status = result
                    group.cancelAll()
                }
            }
            return status
        }
    }

    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }
}

/// The built `jina` binary: $JINA_BINARY, else .build/debug/jina of this checkout.
func jinaBinary() -> String {
    if let path = ProcessInfo.processInfo.environment["JINA_BINARY"] { return path }
    return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/debug/jina").path
}
