import ArgumentParser
import Foundation
import JinaCore
import JinaExport
import JinaHTTPGateway
import JinaHub
import JinaOrchestrator

extension GatewayServiceType: ExpressibleByArgument {}
extension GraphExport.Format: ExpressibleByArgument {}

/// `jina export`: turn a Flow into other formats: its JSON Schema, Kubernetes manifests, a
/// compose file, or a picture of its graph.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a Flow's JSON Schema, Kubernetes manifests, a compose file or a graph, or the gateway's GraphQL schema.",
        discussion: ExitStatus.helpText,
        subcommands: [Schema.self, Kubernetes.self, DockerCompose.self, Graph.self, GraphQLSchema.self]
    )

    /// `jina export schema`: the JSON Schema of Flow YAML, for editors.
    struct Schema: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the JSON Schema of Flow YAML (generated from the validator's own key tables)."
        )

        func run() throws {
            print(FlowSchema.jsonSchema())
        }
    }

    /// `jina export graphql-schema`: the schema of the gateway's `/graphql`.
    struct GraphQLSchema: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "graphql-schema",
            abstract: "Print the schema of the gateway's /graphql endpoint (expose_graphql_endpoint) in GraphQL's SDL."
        )

        func run() throws {
            print(try GraphQLSchemaText.sdl())
        }
    }

    /// `jina export kubernetes`: Kubernetes manifests for a Flow.
    struct Kubernetes: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write Kubernetes manifests for a Flow.",
            discussion: """
                Writes OUT_DIR/<executor>.yml (a Deployment and a headless Service per shard) and \
                OUT_DIR/gateway.yml (the Flow in a ConfigMap, a Deployment, one Service per \
                protocol). Apply them with `kubectl apply -f OUT_DIR`. See docs/kubernetes.md.

                \(ExitStatus.helpText)
                """)

        @Argument(help: ArgumentHelp("The Flow YAML file ('-' reads standard input).", valueName: "FLOW"))
        var flow: String

        @Argument(help: ArgumentHelp("Folder to write the manifests to (created if missing).", valueName: "OUT_DIR"))
        var outDir: String

        @Option(name: .customLong("k8s-namespace"), help: ArgumentHelp("Namespace (default: the Flow's name, else default).", valueName: "NS"))
        var namespace: String?

        @Option(name: .long, help: ArgumentHelp("Image of the gateway and built-in executors (default: jina:\(JinaVersion.current)).", valueName: "IMAGE"))
        var image: String?

        @Option(name: .customLong("image-prefix"), help: ArgumentHelp("Registry and path put before the image names of Python executors (each gets a Dockerfile.<name>).", valueName: "PREFIX"))
        var imagePrefix: String = ""

        @Option(name: .customLong("gateway-service-type"), help: ArgumentHelp("Type of the gateway's Services: ClusterIP, NodePort or LoadBalancer.", valueName: "TYPE"))
        var gatewayServiceType: GatewayServiceType = .clusterIP

        @OptionGroup(title: "Hub packages")
        var hub: ExportHubOptions

        func run() async throws {
            var (flow, options) = try ExportInput.load(self.flow, namespace: namespace, image: image,
                                                       gatewayServiceType: gatewayServiceType)
            options.imagePrefix = imagePrefix
            try await hub.resolve(flow, into: &options, flowPath: self.flow)
            let files = try KubernetesExport.files(flow: flow, options: options)
            let dockerfiles = try PythonDockerfiles.files(flow: flow, options: options)
            try ExportInput.createDirectory(outDir)
            for file in files {
                try ExportInput.write(file.text, to: outDir + "/" + file.name)
            }
            for file in dockerfiles {
                try ExportInput.write(file.text, to: outDir + "/" + file.name)
            }
            let names = files.map(\.name) + dockerfiles.map(\.name)
            print("wrote \(names.count) files to \(outDir): \(names.joined(separator: ", "))")
        }
    }

    /// `jina export docker-compose`: a compose file for a Flow.
    struct DockerCompose: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "docker-compose", abstract: "Write a docker-compose file for a Flow.",
            discussion: """
                Writes OUT_FILE (one service per replica and shard, the gateway publishing the \
                Flow's ports) and, next to it, <stem>.flow.yml: the Flow the gateway reads. \
                Start it with `docker compose -f OUT_FILE up`.

                \(ExitStatus.helpText)
                """)

        @Argument(help: ArgumentHelp("The Flow YAML file ('-' reads standard input).", valueName: "FLOW"))
        var flow: String

        @Argument(help: ArgumentHelp("The compose file to write.", valueName: "OUT_FILE"))
        var outFile: String

        @Option(name: .long, help: ArgumentHelp("Image of the gateway and built-in executors (default: jina:\(JinaVersion.current)).", valueName: "IMAGE"))
        var image: String?

        @Option(name: .customLong("image-prefix"), help: ArgumentHelp("Registry and path put before the image names of Python executors (each gets a Dockerfile.<name>).", valueName: "PREFIX"))
        var imagePrefix: String = ""

        @OptionGroup(title: "Hub packages")
        var hub: ExportHubOptions

        func run() async throws {
            var (flow, options) = try ExportInput.load(self.flow, namespace: nil, image: image, gatewayServiceType: .clusterIP)
            options.imagePrefix = imagePrefix
            try await hub.resolve(flow, into: &options, flowPath: self.flow)
            let output = try ComposeExport.output(flow: flow, options: options, composeFileName: outFile)
            for warning in output.warnings {
                FileHandle.standardError.write(Data("warning: \(warning)\n".utf8))
            }
            let dockerfiles = try PythonDockerfiles.files(flow: flow, options: options)
            let directory = outFile.contains("/") ? String(outFile[..<outFile.lastIndex(of: "/")!]) : "."
            try ExportInput.write(output.composeText, to: outFile)
            try ExportInput.write(output.flowText, to: (directory.isEmpty ? "" : directory + "/") + output.flowFileName)
            for file in dockerfiles {
                try ExportInput.write(file.text, to: (directory.isEmpty ? "" : directory + "/") + file.name)
            }
            print("wrote \(([outFile, output.flowFileName] + dockerfiles.map(\.name)).joined(separator: ", "))")
        }
    }

    /// `jina export graph`: the Flow as a Mermaid or DOT picture.
    struct Graph: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a Flow's graph as Mermaid or DOT.",
            discussion: ExitStatus.helpText)

        @Argument(help: ArgumentHelp("The Flow YAML file ('-' reads standard input).", valueName: "FLOW"))
        var flow: String

        @Argument(help: ArgumentHelp("Write here instead of standard output.", valueName: "OUT_FILE"))
        var outFile: String?

        @Option(name: .long, help: ArgumentHelp("mermaid or dot.", valueName: "FORMAT"))
        var format: GraphExport.Format = .mermaid

        func run() throws {
            let (flow, _) = try ExportInput.load(self.flow, namespace: nil, image: nil, gatewayServiceType: .clusterIP)
            let text = GraphExport.render(flow, format: format)
            if let outFile {
                try ExportInput.write(text, to: outFile)
            } else {
                print(text, terminator: "")
            }
        }
    }
}

/// How an export finds the digest of each Hub package: flow.lock's, else the tag's now.
struct ExportHubOptions: ParsableArguments {
    @Flag(name: .long, help: "Never contact a Hub registry: every Hub package (the locked digest, else the tag's last pull) must be in the cache.")
    var offline = false

    @Flag(name: .customLong("hub-insecure"), help: "Speak plain HTTP to a Hub registry on this machine (also JINA_HUB_INSECURE=1).")
    var hubInsecure = false

    /// Pins every `jinaai://` package of `flow` (the manifests' init steps pull that digest).
    func resolve(_ flow: Flow, into options: inout ExportOptions, flowPath: String) async throws {
        let environment = ProcessInfo.processInfo.environment
        options.hubRegistry = environment["JINA_HUB_REGISTRY"].flatMap { $0.isEmpty ? nil : $0 }
        guard HubResolver.hasPackages(flow) else { return }
        let resolver = HubResolver(
            hub: Hub(environment: environment, insecure: hubInsecure, progress: HubRegistryOptions.stderrLine),
            offline: offline, writeLock: false, report: HubRegistryOptions.stderrLine)
        options.hubPackages = try await resolver.records(flow, flowDirectory: FlowLauncher.directory(of: flowPath == "-" ? nil : flowPath))
    }
}

/// What every exporter starts with: the Flow, loaded and validated as `jina flow` does.
private enum ExportInput {
    static func load(_ path: String, namespace: String?, image: String?,
                     gatewayServiceType: GatewayServiceType) throws -> (Flow, ExportOptions) {
        let source = try FlowSource.read(path)
        let environment = ProcessInfo.processInfo.environment
        var flowText = source.text
        let result: FlowLoadResult
        if DeploymentLoader.isDeployment(source.text) {
            // A Deployment exports as the Flow of its one executor and its gateway.
            let loaded = DeploymentLoader.load(
                text: source.text, file: source.displayName, environment: environment, directory: source.directory)
            if !loaded.includeGateway, !loaded.result.diagnostics.hasErrors {
                throw JinaError(
                    .invalidInput, "\(source.displayName): a Deployment with `include_gateway: false` has no gateway to export",
                    hint: "export it with its gateway (drop `include_gateway: false`), or run it with `jina deployment`")
            }
            result = loaded.result
            flowText = DeploymentLoader.flowText(source.text) ?? source.text
        } else {
            result = FlowLoader.load(
                text: source.text, file: source.displayName, environment: environment, directory: source.directory)
        }
        if !result.diagnostics.items.isEmpty {
            FileHandle.standardError.write(Data((DiagnosticRenderer.text(result.diagnostics) + "\n").utf8))
        }
        // The loader has read the executor YAMLs and applied what their built-ins bring (a
        // VectorIndex's polling), as for `jina flow`.
        guard let flow = result.flow, !result.diagnostics.hasErrors else {
            throw ExitCode(ExitStatus.invalidInput)
        }
        let options = ExportOptions(
            flowFile: path == "-" ? nil : path, flowText: flowText, environment: environment,
            namespace: namespace, image: image, gatewayServiceType: gatewayServiceType)
        return (flow, options)
    }

    static func createDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw JinaError(.runtime, "cannot create \(path): \(error.localizedDescription)")
        }
    }

    static func write(_ text: String, to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            throw JinaError(.runtime, "cannot write \(path)", hint: "check that its folder exists and is writable")
        }
    }
}
