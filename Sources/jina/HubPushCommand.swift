import ArgumentParser
import Foundation
import JinaCore
import JinaHub

/// `jina hub push DIR`: pack a package folder and push it to a registry.
struct HubPushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Pack a package folder as an OCI artifact and push it; print its reference and digest.",
        discussion: """
            The tag defaults to manifest.yml's `version`, else `latest`. Blobs the registry already \
            has are skipped (or mounted from another repository), and uploads resume after an \
            interrupted chunk. Standard output gets one line, REGISTRY/NAMESPACE/NAME:TAG@sha256:…; \
            progress goes to standard error. The package also goes into the local cache.

            \(ExitStatus.helpText)
            """)

    @Argument(help: ArgumentHelp("The package folder (holding manifest.yml).", valueName: "DIR"))
    var directory: String

    @Option(name: .long, help: ArgumentHelp("The registry, HOST[:PORT] (default: JINA_HUB_REGISTRY).", valueName: "HOST[:PORT]"))
    var registry: String?

    @Option(name: .long, help: ArgumentHelp("The tag (default: manifest.yml's version, else latest).", valueName: "TAG"))
    var tag: String?

    @Option(name: .long, help: ArgumentHelp("The namespace (default: JINA_HUB_NAMESPACE, else the user name).", valueName: "NS"))
    var namespace: String?

    @OptionGroup(title: "Registry access")
    var access: HubRegistryOptions

    func run() async throws {
        // The folder first: nothing else matters when there is no package to push.
        let folder = try PackageFolder.load(directory)
        let hub = try access.hub()
        guard let registry = registry ?? hub.defaultRegistry else {
            throw HubError(.invalidInput, "no registry to push to", hint: "pass --registry HOST[:PORT] or export JINA_HUB_REGISTRY")
        }
        guard HubReference.isRegistry(registry) else {
            throw HubError(.invalidInput, "--registry \(registry) is not HOST[:PORT]", hint: "e.g. --registry registry.example.com or --registry 127.0.0.1:5000")
        }
        let environment = ProcessInfo.processInfo.environment
        guard let namespace = namespace ?? environment["JINA_HUB_NAMESPACE"] ?? access.username?.lowercased() else {
            throw HubError(.invalidInput, "no namespace to push into",
                           hint: "pass --namespace NS (your user or team at the registry), or export JINA_HUB_NAMESPACE")
        }
        let pushed = try await hub.push(folder, registry: registry, namespace: namespace, tag: tag)
        print(pushed.description)
    }
}
