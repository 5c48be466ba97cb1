import JinaYAML
import JinaCore

/// Names and labels shared by every Kubernetes object of one export.
struct KubernetesNames {
    let namespace: String
    /// The Flow's name as a label value (`app.kubernetes.io/part-of`); the namespace when unnamed.
    let flowLabel: String

    init(flow: Flow, namespace: String?) throws(JinaError) {
        let chosen = namespace ?? flow.name.map(ExecutorSpec.kubernetesName) ?? "default"
        guard Self.isLabel(chosen) else {
            throw JinaError(
                .invalidInput, "`\(chosen)` is not a valid Kubernetes namespace",
                hint: namespace == nil
                    ? "the namespace defaults to the Flow's name; pass --k8s-namespace NAME (lower-case letters, digits and '-')"
                    : "use lower-case letters, digits and '-', at most 63 characters, starting and ending with a letter or digit")
        }
        self.namespace = chosen
        let label = flow.name.map(ExecutorSpec.kubernetesName) ?? chosen
        flowLabel = Self.isLabel(label) ? label : chosen
    }

    /// The Service/Deployment name of one shard: `name`, or `name-S` when sharded.
    static func shardName(_ spec: ExecutorSpec, shard: Int) -> String {
        spec.shards > 1 ? "\(spec.kubernetesName)-\(shard)" : spec.kubernetesName
    }

    /// `app.kubernetes.io/*` labels of one workload (also its pods' and Services').
    func labels(name: String, component: String, executor: String? = nil, shard: Int? = nil) -> YAMLValueMap {
        var labels = selector(name: name)
        labels.append(("app.kubernetes.io/component", component))
        labels.append(("app.kubernetes.io/managed-by", "jina"))
        // A label value holds no `/`: a head executor (`indexer/uses_before-0`) is `indexer.uses_before-0`.
        if let executor { labels.append(("jina.ai/executor", executor.replacingOccurrences(of: "/", with: "."))) }
        if let shard { labels.append(("jina.ai/shard", String(shard))) }
        return labels
    }

    /// The labels a Service and a Deployment select pods by.
    func selector(name: String) -> YAMLValueMap {
        [("app.kubernetes.io/name", name), ("app.kubernetes.io/part-of", flowLabel)]
    }

    /// `metadata` of a namespaced object.
    func metadata(name: String, labels: YAMLValueMap) -> YAMLValue {
        .map(["name": .string(name), "namespace": .string(namespace), "labels": labels.yaml])
    }

    /// A DNS-1123 label: what namespaces and Service names must be.
    static func isLabel(_ text: String) -> Bool {
        guard (1...63).contains(text.count), let first = text.first, let last = text.last else { return false }
        let allowed = text.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
        return allowed && first != "-" && last != "-"
    }
}

/// String pairs in order, turned into a YAML mapping at the end.
typealias YAMLValueMap = [(String, String)]

extension Array where Element == (String, String) {
    var yaml: YAMLValue { .mapping(YAMLMapping(map { ($0.0, YAMLValue.string($0.1)) })) }
}
