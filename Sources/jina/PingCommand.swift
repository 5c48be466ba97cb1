import ArgumentParser
import Foundation
import JinaGateway

extension PingKind: ExpressibleByArgument {}

/// `jina ping`: check that a Flow, gateway or executor is ready.
struct PingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ping",
        abstract: "Check that a Flow, gateway or executor is ready.",
        discussion: """
            flow: a dry run through every executor of the Flow behind a gateway \
            (JinaGatewayDryRunRPC/dry_run must answer SUCCESS). gateway, executor: that one \
            server's gRPC health (SERVING).

            TARGET is grpc://HOST:PORT, grpcs://HOST:PORT, unix:///PATH or HOST:PORT. http://, \
            https://, ws:// and wss:// targets come with the HTTP/WebSocket gateway.

            Each check waits at most --timeout; checks are 1 s apart. Exit 0 when at least \
            --min-successful-attempts checks succeeded, 1 otherwise, 2 for a malformed target.

            \(ExitStatus.helpText)
            """
    )

    @Argument(help: ArgumentHelp("What to check: flow, gateway or executor.", valueName: "KIND"))
    var kind: PingKind

    @Argument(help: ArgumentHelp("Where: grpc://HOST:PORT, grpcs://HOST:PORT, unix:///PATH or HOST:PORT.", valueName: "TARGET"))
    var target: String

    @Option(name: .long, help: ArgumentHelp("Time allowed per check: 3s, 500ms, or milliseconds; -1 waits forever.", valueName: "DURATION"))
    var timeout: String = "3000"

    @Option(name: .long, help: ArgumentHelp("How many checks to make.", valueName: "N"))
    var attempts: Int = 1

    @Option(name: .customLong("min-successful-attempts"), help: ArgumentHelp("Checks that must succeed for exit 0.", valueName: "M"))
    var minSuccessfulAttempts: Int = 1

    @Flag(name: .long, help: "Print one JSON object: target, kind, attempts, successes, ok, last_error, latency_ms.")
    var json = false

    func validate() throws {
        guard attempts >= 1 else { throw ValidationError("--attempts must be at least 1") }
        guard minSuccessfulAttempts >= 1 else { throw ValidationError("--min-successful-attempts must be at least 1") }
        guard minSuccessfulAttempts <= attempts else {
            throw ValidationError("--min-successful-attempts (\(minSuccessfulAttempts)) is more than --attempts (\(attempts))")
        }
    }

    func run() async throws {
        let target = try PingTarget(parsing: self.target)
        let timeout = try PingTimeout.parse(self.timeout)
        let json = self.json
        let kind = self.kind
        let attempts = self.attempts
        let report = try await Pinger.run(
            kind: kind, target: target, timeout: timeout, attempts: attempts, minimumSuccesses: minSuccessfulAttempts
        ) { attempt, check in
            guard !json else { return }
            let latency = String(format: "%.1f ms", check.latency.milliseconds)
            if check.ok {
                print("ping \(kind.rawValue) \(target) attempt \(attempt)/\(attempts): ok (\(latency))")
            } else {
                print("ping \(kind.rawValue) \(target) attempt \(attempt)/\(attempts): not ready (\(latency)): \(check.error ?? "unknown error")")
            }
        }
        if json {
            print(report.json)
        } else {
            print("\(report.successes) of \(report.attempts) check\(report.attempts == 1 ? "" : "s") succeeded (at least \(report.minimumSuccesses) needed)")
        }
        if !report.ok { throw ExitCode(ExitStatus.runtimeFailure) }
    }
}
