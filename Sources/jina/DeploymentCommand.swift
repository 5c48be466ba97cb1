import ArgumentParser
import Foundation
import JinaCore
import JinaHub
import JinaOrchestrator

/// `jina deployment`: validate or run a Deployment YAML (one executor, with replicas and
/// shards, behind a gateway — or serving gRPC itself with `include_gateway: false`).
struct DeploymentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deployment",
        abstract: "Validate a Deployment YAML, or run the Deployment it describes.",
        discussion: """
            A Deployment (`jtype: Deployment`, settings under `with:`) is one executor with its \
            replicas and shards. By default it runs as a Flow of that one executor: the \
            executor's processes, then a gateway on the Deployment's `port` and `protocol`, \
            printing the same banner and `ready` lines as `jina flow`. With `include_gateway: \
            false` the executor itself serves gRPC on `port` (one replica, one shard) and \
            prints `ready grpc://HOST:PORT`.

            \(ExitStatus.helpText)
            """
    )

    @Option(name: .long, help: ArgumentHelp("The Deployment YAML file ('-' reads standard input).", valueName: "FILE"))
    var uses: String

    @Flag(name: .long, help: "Only validate the Deployment and print the executor it runs.")
    var validate = false

    @Option(name: .customLong("python"), help: ArgumentHelp("Interpreter of a Python executor (JINA_PYTHON wins; default: the first python3 on PATH).", valueName: "PATH"))
    var python: String?

    @OptionGroup(title: "Logging")
    var logging: LoggingOptions

    @Flag(name: .long, help: "Never contact a Hub registry: a Hub package (uses: jinaai://…) must be in the local cache.")
    var offline = false

    @Flag(name: .customLong("hub-insecure"), help: "Speak plain HTTP to a Hub registry on this machine (also JINA_HUB_INSECURE=1).")
    var hubInsecure = false

    func run() async throws {
        let source = try FlowSource.read(uses)
        let loaded = DeploymentLoader.load(
            text: source.text, file: source.displayName,
            environment: ProcessInfo.processInfo.environment, directory: source.directory)
        let result = loaded.result
        if !result.diagnostics.items.isEmpty {
            FileHandle.standardError.write(Data((DiagnosticRenderer.text(result.diagnostics) + "\n").utf8))
        }
        guard var flow = result.flow, !result.diagnostics.hasErrors, flow.executors.first != nil else {
            throw ExitCode(ExitStatus.invalidInput)
        }
        let directory = FlowLauncher.directory(of: uses == "-" ? nil : uses)
        // A Hub package becomes local files first (as in `jina flow`; flow.lock pins it). A
        // validation checks the reference only, or — to print the command without a gateway —
        // looks in the cache.
        if !validate || !loaded.includeGateway {
            flow = try await HubResolver(
                hub: Hub(environment: ProcessInfo.processInfo.environment, insecure: hubInsecure, progress: HubRegistryOptions.stderrLine),
                offline: offline || validate, writeLock: false, report: HubRegistryOptions.stderrLine
            ).resolve(flow, flowDirectory: directory)
        }
        let spec = flow.executors[0]
        if !loaded.includeGateway {
            // Checked before anything is printed as valid.
            let command = try StandaloneExecutor.command(spec: spec, flowDirectory: directory, executablePath: ExecutablePath.selfLink)
            if validate {
                print("executor \(spec.name) serves gRPC itself (include_gateway: false): \(command.dropFirst().joined(separator: " "))")
                return
            }
            try StandaloneExecutor.exec(spec: spec, flowDirectory: directory, executablePath: ExecutablePath.selfLink)
        }
        if validate {
            print(FlowTree.render(flow))
            return
        }
        try await FlowLauncher.run(
            flow: flow, flowFile: uses == "-" ? nil : uses, logging: logging.configuration, aggregatePort: nil, python: python)
    }
}
