import ArgumentParser
import Foundation
import JinaCore

/// `jina flow`: validate a Flow YAML, or run the whole Flow on this machine.
struct FlowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flow",
        abstract: "Validate a Flow YAML, or run the Flow it describes.",
        discussion: """
            With --validate, the Flow is checked and its resolved graph printed; nothing starts.
            Every problem is reported as FILE:LINE:COL: error: MESSAGE.

            \(ExitStatus.helpText)
            """
    )

    @Option(name: .long, help: ArgumentHelp("The Flow YAML file ('-' reads standard input).", valueName: "FILE"))
    var uses: String

    @Flag(name: .long, help: "Only validate the Flow and print its resolved graph.")
    var validate = false

    @Flag(name: .long, help: "Print the result (graph and problems) as one JSON object on stdout.")
    var json = false

    func run() async throws {
        let source = try FlowSource.read(uses)
        let result = FlowLoader.load(
            text: source.text, file: source.displayName,
            environment: ProcessInfo.processInfo.environment
        )
        if json {
            print(FlowReport.json(result))
        } else {
            if !result.diagnostics.items.isEmpty {
                FileHandle.standardError.write(Data((DiagnosticRenderer.text(result.diagnostics) + "\n").utf8))
            }
            if let flow = result.flow, validate {
                print(FlowTree.render(flow))
            }
        }
        guard result.flow != nil, !result.diagnostics.hasErrors else {
            throw ExitCode(ExitStatus.invalidInput)
        }
        if !validate {
            throw notAvailableYet("jina flow --uses FILE (without --validate)", issue: 4)
        }
    }
}
