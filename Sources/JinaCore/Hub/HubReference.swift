import Foundation

/// A Hub executor package in an OCI registry: `[HOST[:PORT]/]NS/NAME[:TAG|@sha256:HEX]`, or,
/// in a Flow, `jinaai://…` of the same and Jina's older `jinahub://NAME[:TAG]` (docs/hub.md).
///
/// Names keep the case they were written in for messages; the registry repository is their
/// lowercase form, as OCI requires (`jinahub://SimpleIndexer` is `NS/simpleindexer`).
public struct HubReference: Sendable, Hashable, CustomStringConvertible {
    /// `HOST[:PORT]`; nil = the default registry (`JINA_HUB_REGISTRY`).
    public var registry: String?
    public var namespace: String
    public var name: String
    /// nil with no digest = `latest`.
    public var tag: String?
    /// `sha256:HEX`: when set, exactly this manifest (the tag is informational).
    public var digest: String?
    /// Written as `jinaai+docker://` / `jinahub+docker://`: a container image, not a package.
    public var isContainerImage = false

    public init(registry: String? = nil, namespace: String, name: String, tag: String? = nil, digest: String? = nil) {
        self.registry = registry
        self.namespace = namespace
        self.name = name
        self.tag = tag
        self.digest = digest
    }

    /// The namespace of references that name none (`jinahub://NAME`): `JINA_HUB_NAMESPACE`, else this.
    public static let defaultNamespace = "jinahub"

    /// The registry repository: `ns/name`, lowercase.
    public var repository: String { "\(namespace.lowercased())/\(name.lowercased())" }

    /// The tag a pull resolves when neither a tag nor a digest is given.
    public var effectiveTag: String { tag ?? "latest" }

    /// `HOST/NS/NAME:TAG@DIGEST` (parts that are set).
    public var description: String {
        var text = (registry.map { $0 + "/" } ?? "") + "\(namespace)/\(name)"
        if let tag { text += ":" + tag }
        if let digest { text += "@" + digest }
        return text
    }

    /// This reference on `registry` when it names none.
    public func on(registry fallback: String) -> HubReference {
        var copy = self
        if copy.registry == nil { copy.registry = fallback }
        return copy
    }

    /// Why a text is not a reference.
    public struct Problem: Error, Equatable, Sendable {
        public var message: String
        public var hint: String
    }

    private static let grammarHint = "write [HOST[:PORT]/]NAMESPACE/NAME[:TAG] or …@sha256:DIGEST, e.g. registry.example.com/team/my-encoder:1.0"

    /// Parses the command-line form `[HOST[:PORT]/]NS/NAME[:TAG|@sha256:HEX]`.
    public static func parse(_ text: String) -> Result<HubReference, Problem> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var rest = Substring(trimmed)
        var digest: String?
        if let at = rest.firstIndex(of: "@") {
            digest = String(rest[rest.index(after: at)...])
            rest = rest[..<at]
            guard let digest, isDigest(digest) else {
                return .failure(Problem(message: "`\(trimmed)`: the digest must be sha256: and 64 hex digits", hint: grammarHint))
            }
        }
        var parts = rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var registry: String?
        if parts.count == 3 {
            registry = parts.removeFirst()
            guard isRegistry(registry!) else {
                return .failure(Problem(message: "`\(trimmed)`: `\(registry!)` is not a registry HOST[:PORT]", hint: grammarHint))
            }
        }
        guard parts.count == 2 else {
            return .failure(Problem(message: "`\(trimmed)` is not a Hub reference: it needs a namespace and a name", hint: grammarHint))
        }
        var name = parts[1]
        var tag: String?
        if let colon = name.firstIndex(of: ":") {
            tag = String(name[name.index(after: colon)...])
            name = String(name[..<colon])
        }
        return build(registry: registry, namespace: parts[0], name: name, tag: tag, digest: digest, text: trimmed)
    }

    /// Parses a `uses` value starting with `jinaai://`, `jinahub://` or their `+docker` forms;
    /// nil when `text` has none of these schemes.
    ///
    /// `jinahub://NAME[:SECRET][/TAG]` is Jina's own legacy form: there are no secrets here, so
    /// `jinahub://NAME:TAG` (no `/TAG`) reads the part after `:` as the tag.
    public static func parseUses(_ text: String, defaultNamespace: String = HubReference.defaultNamespace) -> Result<HubReference, Problem>? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        for (scheme, docker) in [("jinaai://", false), ("jinaai+docker://", true), ("jinahub://", false), ("jinahub+docker://", true)]
        where trimmed.hasPrefix(scheme) {
            let body = String(trimmed.dropFirst(scheme.count))
            var result: Result<HubReference, Problem>
            if scheme.hasPrefix("jinaai") {
                result = parse(body)
            } else {
                result = parseLegacy(body, text: trimmed, namespace: defaultNamespace)
            }
            if case .success(var reference) = result {
                reference.isContainerImage = docker
                result = .success(reference)
            }
            // Messages quote what the Flow says, scheme included.
            return result.mapError { Problem(message: $0.message.replacingOccurrences(of: "`\(body)`", with: "`\(trimmed)`"), hint: $0.hint) }
        }
        return nil
    }

    private static func parseLegacy(_ body: String, text: String, namespace: String) -> Result<HubReference, Problem> {
        var netloc = Substring(body)
        var tag: String?
        if let slash = netloc.firstIndex(of: "/") {
            tag = String(netloc[netloc.index(after: slash)...]).trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            netloc = netloc[..<slash]
        }
        var name = String(netloc)
        if let colon = name.firstIndex(of: ":") {
            let after = String(name[name.index(after: colon)...])
            name = String(name[..<colon])
            if tag == nil { tag = after }  // else Jina's secret: there is none to send here
        }
        return build(registry: nil, namespace: namespace, name: name, tag: tag, digest: nil, text: text)
    }

    private static func build(
        registry: String?, namespace: String, name: String, tag: String?, digest: String?, text: String
    ) -> Result<HubReference, Problem> {
        for (part, value) in [("namespace", namespace), ("name", name)] where !isComponent(value) {
            return .failure(Problem(
                message: "`\(text)`: \(value.isEmpty ? "the \(part) is empty" : "`\(value)` is not a valid \(part)")",
                hint: "names are letters and digits, joined by single `.`, `_` or `-`"))
        }
        if let tag, !isTag(tag) {
            return .failure(Problem(message: "`\(text)`: `\(tag)` is not a valid tag",
                                    hint: "tags are up to 128 letters, digits, `_`, `.` and `-`, not starting with `.` or `-`"))
        }
        return .success(HubReference(registry: registry, namespace: namespace, name: name, tag: tag, digest: digest))
    }

    /// `[A-Za-z0-9]+([._-][A-Za-z0-9]+)*`: an OCI path component once lowercased.
    public static func isComponent(_ text: String) -> Bool {
        guard !text.isEmpty, text.utf8.count <= 128 else { return false }
        var previousSeparator = true
        for scalar in text.unicodeScalars {
            if scalar.isASCIIAlphanumeric {
                previousSeparator = false
            } else if ".-_".unicodeScalars.contains(scalar), !previousSeparator {
                previousSeparator = true
            } else {
                return false
            }
        }
        return !previousSeparator
    }

    public static func isTag(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, text.utf8.count <= 128,
              first.isASCIIAlphanumeric || first == "_" else { return false }
        return text.unicodeScalars.allSatisfy { $0.isASCIIAlphanumeric || "_.-".unicodeScalars.contains($0) }
    }

    /// `sha256:` and 64 lowercase hex digits.
    public static func isDigest(_ text: String) -> Bool {
        guard text.hasPrefix("sha256:") else { return false }
        let hex = text.dropFirst(7)
        return hex.utf8.count == 64 && hex.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) }
    }

    /// `HOST[:PORT]`: a DNS name or IPv4 address (or `[IPv6]`), and a port of 1 to 5 digits.
    public static func isRegistry(_ text: String) -> Bool {
        var host = Substring(text)
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return false }
            let rest = host[host.index(after: close)...]
            return rest.isEmpty || (rest.hasPrefix(":") && isPort(rest.dropFirst()))
        }
        if let colon = host.firstIndex(of: ":") {
            guard isPort(host[host.index(after: colon)...]) else { return false }
            host = host[..<colon]
        }
        return !host.isEmpty && host.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            !label.isEmpty && label.unicodeScalars.allSatisfy { $0.isASCIIAlphanumeric || $0 == "-" }
        }
    }

    private static func isPort(_ text: Substring) -> Bool {
        !text.isEmpty && text.count <= 5 && text.allSatisfy(\.isASCII) && text.allSatisfy(\.isNumber)
    }
}

extension Unicode.Scalar {
    var isASCIIAlphanumeric: Bool { isASCIILetter || ("0"..."9").contains(self) }
}
