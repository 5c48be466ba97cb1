import Foundation

/// Renders a validated Flow as the readable tree `jina flow --validate` prints: the gateway,
/// then every executor in topological order with its resolved `uses`, size and inputs.
public enum FlowTree {
    public static func render(_ flow: Flow) -> String {
        var lines: [String] = []
        lines.append("Flow\(flow.name.map { " \"\($0)\"" } ?? "") (version \(flow.version))")
        lines.append("gateway: " + gatewaySummary(flow.gateway))
        let order = flow.graph.topologicalOrder.compactMap { flow.executor(named: $0) }
        let width = min(24, order.map(\.name.count).max() ?? 0)
        for (index, executor) in order.enumerated() {
            let last = index == order.count - 1
            let branch = last ? "└─ " : "├─ "
            let indent = (last ? "   " : "│  ") + String(repeating: " ", count: width + 2)
            lines.append(branch + executor.name.padding(toLength: max(width, executor.name.count), withPad: " ", startingAt: 0)
                         + "  " + usesSummary(executor))
            for detail in details(executor) {
                lines.append(indent + detail)
            }
        }
        if order.isEmpty {
            lines.append("(no executors: the gateway returns requests unchanged)")
        }
        lines.append("gateway output ← " + (flow.graph.gatewayInputs.isEmpty ? "gateway" : flow.graph.gatewayInputs.joined(separator: ", ")))
        return lines.joined(separator: "\n")
    }

    static func gatewaySummary(_ gateway: GatewaySpec) -> String {
        var parts: [String] = []
        for (index, proto) in gateway.protocols.enumerated() {
            let port = index < gateway.ports.count ? String(gateway.ports[index]) : "a free port"
            parts.append("\(proto.displayName) on \(gateway.host):\(port)")
        }
        var text = parts.joined(separator: ", ")
        if gateway.sslCertfile != nil { text += " · TLS" }
        if gateway.monitoring { text += " · metrics on port \(gateway.portMonitoring.map(String.init) ?? "a free port")" }
        return text
    }

    static func usesSummary(_ executor: ExecutorSpec) -> String {
        if executor.external {
            let addresses = zip(executor.hosts.cycledIfNeeded(to: executor.ports.count), executor.ports)
                .map { "\($0):\($1)" }
            return "external at " + addresses.joined(separator: ", ") + (executor.tls ? " (TLS)" : "")
        }
        let uses: String
        switch executor.uses {
        case .builtin(let name): uses = name
        case .program(let path): uses = "program \(path)"
        case .config(let path): uses = "config \(path)"
        case .docker(let image): uses = "docker://\(image)"
        case .python(let name): uses = "Python class \(name) from \(executor.pyModules.joined(separator: ", "))"
        case .hub(let reference): uses = (reference.isContainerImage ? "Hub image " : "Hub package ") + reference.description
        }
        guard !executor.usesWith.isEmpty else { return "uses \(uses)" }
        return "uses \(uses) with \(CompactJSON.render(executor.usesWith))"
    }

    static func details(_ executor: ExecutorSpec) -> [String] {
        var size = "replicas \(executor.replicas) × shards \(executor.shards)"
        if executor.shards > 1 {
            size += " · polling \(executor.polling.default.rawValue)"
            for (endpoint, polling) in executor.polling.perEndpoint.sorted(by: { $0.key < $1.key }) where endpoint != "*" {
                size += ", \(endpoint): \(polling.rawValue)"
            }
        }
        var lines = [size, "needs " + (executor.needs.isEmpty ? "gateway" : executor.needs.joined(separator: ", "))]
        for role in HeadRole.allCases where executor.hasHead(role) {
            if let address = executor.headAddress(role) {
                lines.append("\(role.rawValue) at \(address)")
            } else if let head = executor.head(role) {
                lines.append("\(role.rawValue): " + usesSummary(head))
            }
        }
        if let when = executor.when { lines.append("when \(CompactJSON.render(when))") }
        if executor.floating { lines.append("floating: its output is not passed on") }
        if !executor.env.isEmpty { lines.append("env " + executor.env.keys.sorted().joined(separator: ", ")) }
        return lines
    }
}

extension Array where Element == String {
    /// A single host stands for every port (one replica per port); otherwise hosts pair with ports.
    func cycledIfNeeded(to count: Int) -> [String] {
        guard self.count == 1, count > 1 else { return self }
        return Array(repeating: self[0], count: count)
    }
}

/// One-line JSON with sorted keys, for values shown inside the tree.
enum CompactJSON {
    static func render<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "?" }
        return String(decoding: data, as: UTF8.self)
    }
}
