import JinaYAML

/// What loading a Deployment YAML gave: the Flow it stands for (one executor, and the gateway
/// unless `include_gateway: false`), and every problem found.
public struct DeploymentLoadResult: Sendable {
    public var result: FlowLoadResult
    /// `include_gateway` (Jina's default: true).
    public var includeGateway: Bool
}

/// Reads a Deployment YAML (Jina's `jtype: Deployment` with its settings under `with:`) as the
/// Flow it is: one executor entry with every setting of `with:`, and a gateway with the
/// gateway's own ones — `port`/`ports`, `protocol`/`protocols` and `host`, as Jina's Deployment
/// hands them to its gateway. With `include_gateway: false` there is no gateway: `port` and
/// `host` are the executor's own (it serves gRPC itself). Positions stay those of the file, so
/// problems point into it as for a Flow.
public enum DeploymentLoader {
    /// Keys of `with:` that go to the gateway when there is one.
    static let gatewayKeys: Set<String> = ["port", "ports", "protocol", "protocols", "host"]
    /// Jina's name of a Deployment's executor when `with:` sets none.
    public static let defaultName = "executor"

    /// Whether `text` is a Deployment YAML (`jtype: Deployment` or a `!Deployment` tag); false
    /// when it does not parse.
    public static func isDeployment(_ text: String) -> Bool {
        guard let root = try? YAMLLoader.load(text) else { return false }
        return isDeployment(root)
    }

    static func isDeployment(_ root: YAMLNode) -> Bool {
        if root.tag == "!Deployment" { return true }
        guard case .mapping(let pairs) = root.content else { return false }
        return pairs.contains { $0.key.scalar?.text == "jtype" && $0.value.scalar?.text == "Deployment" }
    }

    /// The Flow YAML a Deployment YAML stands for (what an exported gateway reads); nil when
    /// the text does not parse. Environment expressions stay as written.
    public static func flowText(_ text: String) -> String? {
        guard let root = try? YAMLLoader.load(text) else { return nil }
        var ignored: [Diagnostic] = []
        return YAMLEmitter.emit(YAMLValue(convert(root, problems: &ignored).0))
    }

    /// Parses, converts, substitutes, types and validates; never throws.
    public static func load(text: String, file: String, environment: [String: String], directory: String? = nil) -> DeploymentLoadResult {
        let document: YAMLNode?
        do {
            document = try YAMLLoader.load(text)
        } catch {
            return DeploymentLoadResult(result: FlowLoadResult(flow: nil, diagnostics: FlowDiagnostics(
                file: file, items: [.error(at: error.mark, error.message, hint: error.hint)])), includeGateway: true)
        }
        guard let document else {
            return DeploymentLoadResult(result: FlowLoadResult(flow: nil, diagnostics: FlowDiagnostics(
                file: file, items: [.error(at: nil, "the file holds no Deployment (it is empty)",
                                           hint: "a Deployment file starts with `jtype: Deployment` and its settings under `with:`")])),
                includeGateway: true)
        }
        var problems: [Diagnostic] = []
        let (flowNode, includeGateway) = convert(document, problems: &problems)
        var result = FlowLoader.load(document: flowNode, file: file, environment: environment, directory: directory)
        if !problems.isEmpty {
            result = FlowLoadResult(flow: nil, diagnostics: FlowDiagnostics(file: file, items: problems + result.diagnostics.items))
        }
        return DeploymentLoadResult(result: result, includeGateway: includeGateway)
    }

    /// The Flow tree a Deployment tree stands for.
    static func convert(_ root: YAMLNode, problems: inout [Diagnostic]) -> (YAMLNode, includeGateway: Bool) {
        let mark = root.mark
        func scalar(_ text: String) -> YAMLNode {
            YAMLNode(.scalar(YAMLScalar(text: text, style: .plain, value: .string(text))), mark: mark)
        }
        guard case .mapping(let pairs) = root.content else {
            problems.append(.error(at: mark, "a Deployment must be a mapping, got \(root.kindDescription)",
                                   hint: "a Deployment file starts with `jtype: Deployment` and its settings under `with:`"))
            return (root, true)
        }
        var top: [YAMLPair] = [YAMLPair(key: scalar("jtype"), value: scalar("Flow"))]
        var settings: [YAMLPair] = []
        var sawType = root.tag == "!Deployment"
        for pair in pairs {
            switch pair.key.scalar?.text {
            case "jtype":
                sawType = true
                if pair.value.scalar?.text != "Deployment" {
                    problems.append(.error(at: pair.value.mark, "jtype: expected Deployment, got \(pair.value.kindDescription)",
                                           hint: "`jina deployment` runs Deployment files; run a Flow with `jina flow --uses FILE`"))
                }
            case "version":
                top.append(pair)
            case "with":
                switch pair.value.content {
                case .mapping(let items): settings = items
                case .scalar(let value) where value.value == .null: break
                default:
                    problems.append(.error(at: pair.value.mark, "with: expected a mapping of the Deployment's settings, got \(pair.value.kindDescription)"))
                }
            default:
                problems.append(.error(at: pair.key.mark, "unknown top-level key of a Deployment `\(pair.key.scalar?.text ?? "?")`",
                                       hint: "a Deployment has `jtype`, `version` and `with`; its settings go under `with:`"))
            }
        }
        if !sawType {
            problems.append(.error(at: mark, "missing `jtype: Deployment`", hint: "a Deployment file starts with `jtype: Deployment`"))
        }
        var includeGateway = true
        var gateway: [YAMLPair] = []
        var executor: [YAMLPair] = []
        for pair in settings {
            let key = pair.key.scalar?.text ?? ""
            if key == "include_gateway" {
                if case .scalar(let value) = pair.value.content, case .bool(let flag) = value.value {
                    includeGateway = flag
                } else {
                    problems.append(.error(at: pair.value.mark, "include_gateway: expected a boolean (true or false), got \(pair.value.kindDescription)"))
                }
                continue
            }
            executor.append(pair)
        }
        if includeGateway {
            gateway = executor.filter { gatewayKeys.contains($0.key.scalar?.text ?? "") }
            executor.removeAll { gatewayKeys.contains($0.key.scalar?.text ?? "") }
        } else if let protocolPair = executor.first(where: { ["protocol", "protocols"].contains($0.key.scalar?.text ?? "") }) {
            problems.append(.error(
                at: protocolPair.key.mark, "`\(protocolPair.key.scalar?.text ?? "protocol")` needs the gateway: without it the executor serves gRPC itself",
                hint: "remove it, or drop `include_gateway: false`"))
            executor.removeAll { ["protocol", "protocols"].contains($0.key.scalar?.text ?? "") }
        }
        if !executor.contains(where: { $0.key.scalar?.text == "name" }) {
            executor.insert(YAMLPair(key: scalar("name"), value: scalar(defaultName)), at: 0)
        }
        if !gateway.isEmpty {
            top.append(YAMLPair(key: scalar("gateway"), value: YAMLNode(.mapping(gateway), mark: mark)))
        }
        top.append(YAMLPair(key: scalar("executors"),
                            value: YAMLNode(.sequence([YAMLNode(.mapping(executor), mark: mark)]), mark: mark)))
        return (YAMLNode(.mapping(top), mark: mark), includeGateway)
    }
}
