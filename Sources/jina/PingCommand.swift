import ArgumentParser

/// `jina ping`: check that a Flow, gateway or executor answers.
struct PingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ping",
        abstract: "Check that a Flow, gateway or executor is ready.",
        discussion: ExitStatus.helpText
    )

    func run() async throws {
        throw notAvailableYet("jina ping", issue: 4)
    }
}
