import Foundation

/// What an executor entry runs, from its `uses` (decisions.md, "`uses` forms").
public enum ExecutorUses: Sendable, Equatable, Encodable {
    /// A built-in executor, by its canonical name (`BaseExecutor` is read as `Identity`).
    case builtin(String)
    /// A custom executor program: a path containing `/`, relative to the Flow file's folder,
    /// kept as written.
    case program(path: String)
    /// An executor configuration file (`.yml`/`.yaml`: `jtype: Name`, `with: {…}`), as written.
    case config(path: String)
    /// A container image, `IMAGE[:TAG]` without the `docker://` prefix.
    case docker(image: String)
    /// A Python `Executor` subclass, by its class name, from the executor's `py_modules`: run by
    /// Python Jina's own worker (docs/python-executors.md).
    case python(className: String)
    /// A Hub package (`jinaai://NS/NAME:TAG`, `jinahub://NAME`), resolved through the local
    /// cache before the Flow starts (docs/hub.md); `+docker` forms name a container image.
    case hub(HubReference)

    /// How `uses` reads when an entry does not set it.
    public static let `default` = ExecutorUses.builtin("Identity")

    /// Why a `uses` value cannot be used.
    struct Problem: Error, Equatable {
        var message: String
        var hint: String?
    }

    /// Classifies the text of `uses`. A bare name is returned as `.builtin` without looking it
    /// up: the caller checks the catalogue (it knows whether `py_modules` is set).
    static func classify(_ text: String) -> Result<ExecutorUses, Problem> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let scheme = sandboxSchemes.first(where: { trimmed.hasPrefix($0) }) {
            return .failure(Problem(
                message: "uses: `\(trimmed.shortened)`: Jina's sandboxes (\(scheme)) were a hosted service that no longer exists",
                hint: "publish the executor to a registry with `jina hub push` and write `uses: jinaai://NS/NAME:TAG`"))
        }
        let namespace = ProcessInfo.processInfo.environment["JINA_HUB_NAMESPACE"] ?? HubReference.defaultNamespace
        switch HubReference.parseUses(trimmed, defaultNamespace: namespace) {
        case .success(let reference)?: return .success(.hub(reference))
        case .failure(let problem)?: return .failure(Problem(message: "uses: " + problem.message, hint: problem.hint))
        case nil: break
        }
        if trimmed.hasPrefix("docker://") {
            let image = String(trimmed.dropFirst("docker://".count))
            guard !image.isEmpty, !image.contains(where: \.isWhitespace) else {
                return .failure(Problem(message: "uses: `\(trimmed)` does not name an image",
                                        hint: "write it as docker://IMAGE[:TAG]"))
            }
            return .success(.docker(image: image))
        }
        if let range = trimmed.range(of: "://") {
            return .failure(Problem(
                message: "uses: unsupported scheme `\(trimmed[..<range.upperBound])`", hint: formsHint))
        }
        if trimmed.hasSuffix(".yml") || trimmed.hasSuffix(".yaml") {
            return .success(.config(path: trimmed))
        }
        if trimmed.contains("/") {
            return .success(.program(path: trimmed))
        }
        if isIdentifier(trimmed) {
            return .success(.builtin(trimmed))
        }
        if trimmed.hasPrefix("!") || trimmed.contains("jtype") || trimmed.hasPrefix("{") {
            return .failure(Problem(message: "uses: inline executor configurations are not supported",
                                    hint: "name a built-in executor and set its arguments with `uses_with`"))
        }
        return .failure(Problem(message: "uses: cannot tell what `\(trimmed.shortened)` is", hint: formsHint))
    }

    /// The `uses` text that means this executor.
    public var text: String {
        switch self {
        case .builtin(let name), .python(let name): name
        case .program(let path), .config(let path): path
        case .docker(let image): "docker://" + image
        case .hub(let reference): (reference.isContainerImage ? "jinaai+docker://" : "jinaai://") + reference.description
        }
    }

    /// `{"kind": "builtin", "value": "Identity"}`.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .builtin(let name): try container.encode("builtin", forKey: .kind); try container.encode(name, forKey: .value)
        case .program(let path): try container.encode("program", forKey: .kind); try container.encode(path, forKey: .value)
        case .config(let path): try container.encode("config", forKey: .kind); try container.encode(path, forKey: .value)
        case .docker(let image): try container.encode("docker", forKey: .kind); try container.encode(image, forKey: .value)
        case .python(let name): try container.encode("python", forKey: .kind); try container.encode(name, forKey: .value)
        case .hub(let reference):
            try container.encode(reference.isContainerImage ? "hub-image" : "hub", forKey: .kind)
            try container.encode(reference.description, forKey: .value)
        }
    }

    private enum CodingKeys: String, CodingKey { case kind, value }

    private static let sandboxSchemes = ["jinahub+sandbox://", "jinaai+sandbox://"]

    private static let formsHint =
        "use a built-in executor name, a program path containing `/`, an executor YAML (.yml), docker://IMAGE[:TAG], or jinaai://NS/NAME[:TAG]"

    /// `[A-Za-z_][A-Za-z0-9_]*` (ASCII only).
    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first.isASCIILetter || first == "_" else { return false }
        return text.unicodeScalars.allSatisfy { $0.isASCIILetter || $0 == "_" || ("0"..."9").contains($0) }
    }
}

extension Unicode.Scalar {
    var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}
