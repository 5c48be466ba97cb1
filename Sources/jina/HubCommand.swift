import ArgumentParser

/// `jina hub`: executor packages in OCI registries (docs/hub.md).
struct HubCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hub",
        abstract: "Publish executors to an OCI registry, pull them into the local cache, and inspect them.",
        discussion: """
            A package is a folder in Jina Hub's layout (manifest.yml, config.yml, the executor's \
            files) or a prebuilt program (manifest.yml with `kind: program`). Flows use it as \
            `uses: jinaai://NAMESPACE/NAME:TAG`. References read [HOST[:PORT]/]NAMESPACE/NAME[:TAG|@sha256:…]; \
            without a host, JINA_HUB_REGISTRY names the registry. See docs/hub.md.

            \(ExitStatus.helpText)
            """,
        subcommands: [HubNewCommand.self, HubPushCommand.self, HubPullCommand.self, HubListCommand.self, HubInspectCommand.self]
    )
}
