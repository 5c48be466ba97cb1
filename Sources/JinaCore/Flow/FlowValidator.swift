import JinaYAML

/// Turns a Flow's YAML tree (after substitution) into a typed `Flow`, reporting every problem
/// in one pass. The `Flow` is built only when there is no error.
struct FlowValidator {
    /// Everything found so far, in discovery order (sorted when rendered).
    var problems: [Diagnostic] = []
    /// The common keys of `with:`, as the gateway and executors inherit them.
    var common = SectionValues()
    /// Executor entries in file order.
    var drafts: [ExecutorDraft] = []
    /// The Flow file's folder, where relative paths start; nil skips the checks of files.
    var directory: String?
    /// That folder as the user wrote it (the Flow file's path without its name), for naming
    /// the files a Flow names; nil: the working directory.
    var displayFolder: String?

    /// Validates the document `root` and returns the Flow, or nil when there is an error.
    mutating func validate(_ root: YAMLNode) -> Flow? {
        guard case .mapping = root.content else {
            problems.append(.error(at: root.mark, "a Flow must be a mapping, got \(root.kindDescription)",
                                   hint: "a Flow file starts with `jtype: Flow`"))
            return nil
        }
        let top = SectionReader(table: FlowKeys.topLevel, noun: "top-level key", elsewhere: Self.topLevelAdvice)
            .read(root, section: "flow", into: &problems)
        checkFlowType(root, top)
        let version = checkVersion(top)
        let settings = readWith(top["with"]?.node)
        let gateway = readGateway(top["gateway"]?.node)
        readExecutors(top["executors"]?.node)
        resolveNames()
        resolveUses()
        resolveHeads()
        resolveNeeds()
        checkConnections()
        checkPython(directory: directory)
        checkDynamicBatching()
        guard !problems.contains(where: { $0.severity == .error }) else { return nil }
        let executors = drafts.map(\.spec)
        let graph = FlowGraph(executors: executors.map { ($0.name, $0.needs, $0.floating) })
        return Flow(version: version, settings: FlowSettings(settings), gateway: GatewaySpec(gateway),
                    executors: executors, graph: graph)
    }

    /// `jtype: Flow` or the `!Flow` tag.
    private mutating func checkFlowType(_ root: YAMLNode, _ top: SectionValues) {
        if let tag = root.tag, tag != "!Flow" {
            problems.append(.error(at: root.mark, "expected a Flow, got a `\(tag)` document",
                                   hint: "`jina flow` runs Flow files: `jtype: Flow` or a `!Flow` tag"))
        } else if root.tag == nil, !top.has("jtype") {
            problems.append(.error(at: root.mark, "missing `jtype: Flow`",
                                   hint: "a Flow file starts with `jtype: Flow` (or the tag `!Flow`)"))
        } else if let entry = top["jtype"], entry.value != nil, entry.value != .string("Flow") {
            let deployment = entry.value == .string("Deployment")
            problems.append(.error(
                at: entry.valueMark, "jtype: expected Flow, got \(entry.node.kindDescription)",
                hint: deployment ? "run a Deployment with `jina deployment --uses FILE`; or put its settings in an entry under `executors:` of a Flow"
                    : DidYouMean.hint(for: entry.value?.stringValue ?? "", among: ["Flow"])))
        }
    }

    /// `1` is the only version; `1.x` falls back to it with a warning, as in Jina.
    private mutating func checkVersion(_ top: SectionValues) -> String {
        guard let version = top.string("version"), let mark = top.valueMark("version") else { return "1" }
        if version == "1" { return version }
        if version.hasPrefix("1.") {
            problems.append(.warning(at: mark, "version \(version) is not known; reading the file as version 1"))
        } else {
            problems.append(.error(at: mark, "unsupported version `\(version)`",
                                   hint: "the only Flow YAML version is 1"))
        }
        return "1"
    }

    /// The Flow's own keys and the common keys; keeps the common ones for inheritance.
    private mutating func readWith(_ node: YAMLNode?) -> SectionValues {
        guard let node else { return SectionValues() }
        let table = KeyTable(FlowKeys.flowOwn.keys + FlowKeys.withCommon.keys)
        let values = SectionReader(table: table, noun: "`with` key").read(node, section: "with", into: &problems)
        common = SectionValues(mark: values.mark)
        for key in FlowKeys.withCommon.keys.map(\.name) { common[key] = values[key] }
        return values
    }

    /// The gateway's own keys over the common keys of `with:` it inherits.
    private mutating func readGateway(_ node: YAMLNode?) -> SectionValues {
        let reader = SectionReader(table: FlowKeys.gateway, noun: "gateway key") { key in
            FlowKeys.executor[key] != nil
                ? "`\(key)` is an executor key: set it on an executor, or under `with:` for all of them" : nil
        }
        let own = node.map { reader.read($0, section: "gateway", into: &problems) } ?? SectionValues()
        var values = own.inheriting(from: common, where: FlowKeys.gatewayInherits)
        // A common key may be typed more loosely than the gateway takes it (`host` lists).
        for (key, entry) in values.entries where entry.inherited {
            guard let spec = FlowKeys.gateway[key], spec.kind != FlowKeys.withCommon[key]?.kind,
                  entry.node.scalar?.value != .null else { continue }
            values[key]?.value = ValueChecker.check(entry.node, as: spec.kind, key: key, into: &problems)
        }
        checkGateway(values)
        return values
    }

    static func topLevelAdvice(_ key: String) -> String? {
        guard FlowKeys.flowOwn[key] != nil || FlowKeys.withCommon[key] != nil else {
            return "top-level keys: " + FlowKeys.topLevel.spellings.joined(separator: ", ")
        }
        return "`\(key)` goes under `with:` (whole Flow), `gateway:` or an executor entry"
    }
}
