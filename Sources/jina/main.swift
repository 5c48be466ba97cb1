import ArgumentParser
import CJinaLifeline
import Foundation
import JinaCore
import JinaOrchestrator
import NIOCore
import NIOPosix

// `jina _lifeline-exec PROGRAM ARGS…` (how `jina flow` starts Python executors) becomes the
// program's watchdog before anything else runs: it must stay single-threaded to fork safely.
if CommandLine.arguments.count > 2, CommandLine.arguments[1] == LifelineExec.command {
    jina_lifeline_exec(CommandLine.unsafeArgv + 2, LifelineExec.graceMilliseconds)
}

// Servers run Swift Concurrency on SwiftNIO's event loops: a request then moves between its
// socket's loop and its task without waking another thread (measured: +18 % requests/s through
// a Flow, docs/performance.md). It must happen before anything is scheduled, so it is the first
// statement. Long blocking calls in these processes go to Dispatch (process waits, DNS).
// `JINA_NIO_EXECUTOR=0` keeps the default executor.
if ServerProcess.isServer(CommandLine.arguments), ProcessInfo.processInfo.environment["JINA_NIO_EXECUTOR"] != "0" {
    _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
}

// The entry point owns the exit code and renders every error in one place:
// swift-argument-parser reports usage errors as 64 (EX_USAGE); `jina` documents 2 for every
// kind of invalid input, 1 for runtime failures.
/// Runs the parsed command; a function of its own so that overload resolution picks the
/// `async` form of `run()` (in top-level code it picked the synchronous default, which prints help).
func runParsed(_ command: ParsableCommand) async throws {
    if var asyncCommand = command as? AsyncParsableCommand {
        try await asyncCommand.run()
    } else {
        var syncCommand = command
        try syncCommand.run()
    }
}

do {
    try await runParsed(try JinaCommand.parseAsRoot())
} catch let error as UserFacingError {
    var text = "error: \(error.summary)"
    if let hint = error.hint { text += "\n  hint: \(hint)" }
    FileHandle.standardError.write(Data((text + "\n").utf8))
    exit(error.kind == .invalidInput ? ExitStatus.invalidInput : ExitStatus.runtimeFailure)
} catch {
    let code = JinaCommand.exitCode(for: error).rawValue
    let message = JinaCommand.fullMessage(for: error)
    if code == 0 {
        if !message.isEmpty { print(message) }
        exit(0)
    }
    if !message.isEmpty {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
    exit(code == 64 ? ExitStatus.invalidInput : code)
}
