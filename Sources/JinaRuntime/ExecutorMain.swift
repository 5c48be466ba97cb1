#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import JinaCore
import JinaLifecycle
import JinaObservability

/// Turns an `Executor` into a program that takes the same flags as `jina executor`:
///
/// ```swift
/// @main struct Main {
///     static func main() async { await ExecutorMain.run(Upper.self) }
/// }
/// ```
///
/// or, in a `main.swift`, just `await ExecutorMain.run(Upper.self)`. The program prints
/// `ready unix://PATH` or `ready grpc://HOST:PORT` on standard output once it serves, logs to
/// standard error, and exits 0 after SIGTERM/SIGINT, 2 for bad flags or `uses_with`, 1 when it
/// cannot load or listen.
public enum ExecutorMain {
    /// Parses `arguments` (the process's own by default), serves `type`, and exits.
    public static func run<E: Executor>(_ type: E.Type, arguments: [String] = CommandLine.arguments) async -> Never {
        let program = arguments.first.map { String($0.split(separator: "/").last ?? "executor") } ?? "executor"
        do {
            guard let options = try ExecutorFlags.parse(Array(arguments.dropFirst())) else {
                writeOut(ExecutorFlags.usage(program: program))
                exit(0)
            }
            try await serve(ExecutorFactory(type), options: options)
            exit(0)
        } catch let error as any UserFacingError {
            var text = "error: \(error.summary)\n"
            if let hint = error.hint { text += "  hint: \(hint)\n" }
            writeError(text)
            exit(error.kind == .invalidInput ? 2 : 1)
        } catch {
            writeError("error: \(error)\n")
            exit(1)
        }
    }

    /// Serves the executor `factory` makes as `options` say, handling SIGTERM/SIGINT, printing
    /// the ready line; returns after a graceful shutdown. `jina executor` uses this too.
    package static func serve(_ factory: ExecutorFactory, options: ExecutorOptions) async throws {
        var configuration = ExecutorServer.Configuration(address: options.address)
        configuration.monitoring = options.monitoring
        configuration.dynamicBatching = options.dynamicBatching
        configuration.exitOnExceptions = options.exitOnExceptions
        options.logging.bootstrap()
        let context = try options.makeContext()
        let exporter = try TelemetryExporter.bootstrap(
            tracing: options.tracing, metrics: options.metricsExport, serviceName: options.name,
            instance: RuntimeName.executor(options.name, shard: options.shardID, replica: options.replicaID),
            logger: context.logger)
        let server = ExecutorServer(
            executor: factory, usesWith: options.usesWith, context: context, configuration: configuration)
        // Exporters first: they shut down last, sending what the drained requests left them.
        let serving = ExecutorService(server: server) { address in writeOut("ready \(address)\n") }
        var lifecycle = ProcessLifecycle(services: (exporter?.services ?? []) + [serving], logger: context.logger)
        lifecycle.lifeline = true
        lifecycle.gracePeriod = Self.shutdownGracePeriod
        try await lifecycle.run()
    }

    /// How long a graceful shutdown may take before in-flight work is cancelled.
    static let shutdownGracePeriod: Duration = .seconds(30)

    /// Writes straight to the file descriptor: the ready line must not wait in a buffer.
    static func writeOut(_ text: String) { emit(fd: 1, text) }
    static func writeError(_ text: String) { emit(fd: 2, text) }

    private static func emit(fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            bytes = bytes.dropFirst(written)
        }
    }
}
