import JinaCore
import JinaYAML

/// The Flow YAML the exported gateway reads (from a ConfigMap, or a file next to the compose
/// file): the user's Flow with `${{ ENV.X }}` already substituted as at export time — so the
/// gateway sees exactly the graph, shards and `when` filters the manifests were made for. The
/// gateway's TLS and token files are paths on the exporting machine: they are left out here and
/// given as `--ssl-certfile`/`--ssl-keyfile`/`--token-file` flags pointing where the Secrets
/// (or compose bind mounts) put them.
///
/// An executor named by an executor YAML whose built-in brings its own polling (a
/// `VectorIndex`: `ExecutorFileDefaults`) gets that polling written into its entry: the gateway
/// in the cluster has the Flow file but not the executor YAMLs.
enum GatewayFlowDocument {
    static func text(options: ExportOptions, flow: Flow) throws(JinaError) -> String {
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
        if case .sequence(var entries)? = document["executors"] ?? document["deployments"] {
            // Entries are in Flow order, one per executor.
            for (index, spec) in flow.executors.enumerated() where index < entries.count {
                guard case .config = spec.uses, spec.marks.values["polling"] == nil, spec.polling != PollingSpec(),
                      case .mapping(var entry) = entries[index] else { continue }
                var polling = YAMLMapping()
                for endpoint in spec.polling.perEndpoint.keys.sorted() {
                    polling[endpoint] = .string(spec.polling.perEndpoint[endpoint]!.rawValue)
                }
                polling["*"] = .string(spec.polling.default.rawValue)
                entry["polling"] = .mapping(polling)
                entries[index] = .mapping(entry)
            }
            document[document["executors"] != nil ? "executors" : "deployments"] = .sequence(entries)
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
