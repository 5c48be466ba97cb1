import Foundation
import JinaCore

/// `jina export graph`: the Flow's topology as Mermaid (renders on GitHub and in most
/// Markdown viewers) or Graphviz DOT. Requests enter at the gateway, flow along `needs`, and
/// the leaves that are not floating return to the gateway; `when` filters label their edges,
/// floating executors are drawn dashed.
public enum GraphExport {
    public enum Format: String, Sendable, CaseIterable {
        case mermaid, dot
    }

    public static func render(_ flow: Flow, format: Format) -> String {
        switch format {
        case .mermaid: mermaid(flow)
        case .dot: dot(flow)
        }
    }

    /// What one executor's box says: name, what it runs, and its scale.
    static func label(_ spec: ExecutorSpec) -> [String] {
        var lines = [spec.name]
        lines.append(spec.external ? "external" : spec.uses.text)
        var scale: [String] = []
        if spec.replicas > 1 { scale.append("\(spec.replicas) replicas") }
        if spec.shards > 1 {
            let endpoints = spec.polling.perEndpoint.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.rawValue)" }
            let polling = ([spec.polling.default.rawValue] + endpoints).joined(separator: ", ")
            scale.append("\(spec.shards) shards, polling \(polling)")
        }
        if !scale.isEmpty { lines.append(scale.joined(separator: " × ")) }
        return lines
    }

    private static func whenLabel(_ spec: ExecutorSpec) -> String? {
        spec.when.map { "when " + $0.compactJSON }
    }

    private static func mermaid(_ flow: Flow) -> String {
        var lines = ["flowchart LR", "    gateway_in((gateway))"]
        func id(_ name: String) -> String { name == FlowGraph.gateway ? "gateway_in" : "x_" + name }
        func text(_ value: String) -> String {
            value.replacingOccurrences(of: "\"", with: "#quot;")
        }
        for spec in flow.executors {
            let body = label(spec).map(text).joined(separator: "<br/>")
            lines.append(spec.external ? "    \(id(spec.name))[/\"\(body)\"/]" : "    \(id(spec.name))[\"\(body)\"]")
        }
        lines.append("    gateway_out((gateway))")
        for edge in flow.graph.edges {
            guard let spec = flow.executor(named: edge.to) else { continue }
            let arrow = flow.graph.floating.contains(edge.to) ? "-.->" : "-->"
            if let when = whenLabel(spec) {
                lines.append("    \(id(edge.from)) \(arrow)|\"\(text(when))\"| \(id(edge.to))")
            } else {
                lines.append("    \(id(edge.from)) \(arrow) \(id(edge.to))")
            }
        }
        for input in flow.graph.gatewayInputs {
            lines.append("    \(id(input)) --> gateway_out")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func dot(_ flow: Flow) -> String {
        func quoted(_ value: String) -> String {
            "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n") + "\""
        }
        func id(_ name: String) -> String { name == FlowGraph.gateway ? "\"gateway:in\"" : quoted(name) }
        var lines = [
            "digraph flow {", "    rankdir=LR;", "    node [shape=box, style=rounded];",
            "    \"gateway:in\" [label=\"gateway\", shape=circle];",
            "    \"gateway:out\" [label=\"gateway\", shape=circle];",
        ]
        for spec in flow.executors {
            var attributes = ["label=" + quoted(label(spec).joined(separator: "\n"))]
            if spec.external { attributes.append("shape=parallelogram") }
            if spec.floating { attributes.append("style=\"rounded,dashed\"") }
            lines.append("    \(quoted(spec.name)) [\(attributes.joined(separator: ", "))];")
        }
        for edge in flow.graph.edges {
            guard let spec = flow.executor(named: edge.to) else { continue }
            var attributes: [String] = []
            if let when = whenLabel(spec) { attributes.append("label=" + quoted(when)) }
            if flow.graph.floating.contains(edge.to) { attributes.append("style=dashed") }
            let suffix = attributes.isEmpty ? "" : " [\(attributes.joined(separator: ", "))]"
            lines.append("    \(id(edge.from)) -> \(id(edge.to))\(suffix);")
        }
        for input in flow.graph.gatewayInputs {
            lines.append("    \(quoted(input)) -> \"gateway:out\";")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }
}
