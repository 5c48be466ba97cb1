import ArgumentParser
import Foundation
import JinaClient

extension PingKind: ExpressibleByArgument {}

/// `jina ping`: check that a Flow, gateway or executor is ready.
struct PingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ping",
        abstract: "Check that a Flow, gateway or executor is ready.",
        discussion: """
            flow: a dry run through every executor of the Flow behind a gateway (gRPC \
            JinaGatewayDryRunRPC/dry_run must answer SUCCESS; HTTP GET /dry_run and the \
            WebSocket /dry_run socket must answer code 0). gateway, executor: that one server's \
            health (gRPC health SERVING; HTTP and WebSocket GET / answering 200).

            TARGET is grpc://, grpcs://, http://, https://, ws:// or wss:// HOST:PORT \
            (websocket:// is ws://), unix:///PATH, or HOST:PORT (gRPC). TLS targets trust \
            --ca FILE, else the system trust store. --token (or --token-env NAME) is sent as \
            `Authorization: Bearer` (gRPC: authorization metadata).

            Each check waits at most --timeout; checks are 1 s apart. Exit 0 when at least \
            --min-successful-attempts checks succeeded, 1 otherwise, 2 for a malformed target.

            \(ExitStatus.helpText)
            """
    )

    @Argument(help: ArgumentHelp("What to check: flow, gateway or executor.", valueName: "KIND"))
    var kind: PingKind

    @Argument(help: ArgumentHelp("Where: grpc[s]://, http[s]://, ws[s]:// HOST:PORT, unix:///PATH or HOST:PORT.", valueName: "TARGET"))
    var target: String

    @Option(name: .long, help: ArgumentHelp("Time allowed per check: 3s, 500ms, or milliseconds; -1 waits forever.", valueName: "DURATION"))
    var timeout: String = "3000"

    @Option(name: .long, help: ArgumentHelp("How many checks to make.", valueName: "N"))
    var attempts: Int = 1

    @Option(name: .customLong("min-successful-attempts"), help: ArgumentHelp("Checks that must succeed for exit 0.", valueName: "M"))
    var minSuccessfulAttempts: Int = 1

    @OptionGroup var connection: ClientConnectionOptions

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
        let target = try GatewayTarget(parsing: self.target)
        let timeout = try PingTimeout.parse(self.timeout)
        let security = try connection.security()
        let json = self.json
        let kind = self.kind
        let attempts = self.attempts
        let report = await Pinger.run(
            kind: kind, target: target, security: security, timeout: timeout, attempts: attempts,
            minimumSuccesses: minSuccessfulAttempts
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
