import ArgumentParser
import JinaCore

/// `jina export`: turn a Flow into other formats (a JSON Schema today; manifests later).
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a Flow's JSON Schema, Kubernetes manifests, a compose file or a graph.",
        discussion: ExitStatus.helpText,
        subcommands: [Schema.self, Kubernetes.self, DockerCompose.self, Graph.self]
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

    /// `jina export kubernetes`: Kubernetes manifests for a Flow.
    struct Kubernetes: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write Kubernetes manifests for a Flow.")

        func run() throws {
            throw notAvailableYet("jina export kubernetes", issue: 6)
        }
    }

    /// `jina export docker-compose`: a compose file for a Flow.
    struct DockerCompose: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "docker-compose", abstract: "Write a docker-compose file for a Flow.")

        func run() throws {
            throw notAvailableYet("jina export docker-compose", issue: 6)
        }
    }

    /// `jina export graph`: the Flow as a Mermaid or DOT picture.
    struct Graph: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a Flow's graph as Mermaid or DOT.")

        func run() throws {
            throw notAvailableYet("jina export graph", issue: 6)
        }
    }
}
