import ArgumentParser
import JinaCore

/// The `jina` command: argument parsing only; every subcommand calls into a library module.
struct JinaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jina",
        abstract: "Build and run multimodal AI services: Documents, Executors and Flows.",
        discussion: ExitStatus.helpText,
        version: JinaVersion.current,
        subcommands: [
            FlowCommand.self,
            DeploymentCommand.self,
            ExecutorCommand.self,
            GatewayCommand.self,
            PingCommand.self,
            ClientCommand.self,
            ExportCommand.self,
            HubCommand.self,
        ]
    )
}
