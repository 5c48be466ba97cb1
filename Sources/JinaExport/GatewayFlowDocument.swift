import JinaCore
import JinaYAML

/// The Flow YAML the exported gateway reads (from a ConfigMap, or a file next to the compose
/// file): the user's Flow with `${{ ENV.X }}` already substituted as at export time — so the
/// gateway sees exactly the graph, shards and `when` filters the manifests were made for. The
/// gateway's TLS and token files are paths on the exporting machine: they are left out here and
/// given as `--ssl-certfile`/`--ssl-keyfile`/`--token-file` flags pointing where the Secrets
/// (or compose bind mounts) put them.
enum GatewayFlowDocument {
    static func text(options: ExportOptions) throws(JinaError) -> String {
        let root: YAMLNode?
        do {
            root = try YAMLLoader.load(options.flowText)
        } catch {
            throw JinaError(.invalidInput, "cannot read the Flow again: \(error.message)")
        }
        guard let root else { throw JinaError(.invalidInput, "the Flow file is empty") }
        let substituted = EnvSubstitution.apply(to: root, environment: options.environment).node
        guard case .mapping(var document) = YAMLValue(substituted) else {
            throw JinaError(.invalidInput, "the Flow file is not a mapping")
        }
        if document["jtype"] == nil {
            var withType = YAMLMapping([("jtype", "Flow")])
            for entry in document.entries { withType[entry.key] = entry.value }
            document = withType
        }
        // The keys may sit under `with:` (inherited) or `gateway:`.
        for section in ["with", "gateway"] {
            guard case .mapping(var mapping)? = document[section] else { continue }
            for key in ["ssl_certfile", "ssl_keyfile", "token_file"] { mapping[key] = nil }
            document[section] = .mapping(mapping)
        }
        let header = "# The Flow as exported by jina \(JinaVersion.current): environment expressions substituted.\n"
        return header + YAMLEmitter.emit(.mapping(document))
    }
}
