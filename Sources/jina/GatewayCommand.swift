import ArgumentParser

/// `jina gateway`: the gateway alone, in front of executors started elsewhere.
struct GatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway",
        abstract: "Serve a Flow's gateway in front of executors started elsewhere.",
        discussion: ExitStatus.helpText
    )

    func run() async throws {
        throw notAvailableYet("jina gateway", issue: 4)
    }
}
