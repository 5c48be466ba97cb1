import Foundation
import JinaCore
import JinaYAML

/// A package's `manifest.yml`, Jina Hub's own file (`name`, `version`, `description`,
/// `keywords`, `url`) with two keys of ours: `kind` (`python`, the default, or `program`) and,
/// for a program, `executable` (its path in the package).
public struct PackageManifest: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable { case python, program }

    public var name: String
    public var version: String?
    public var description: String?
    public var keywords: [String]
    public var url: String?
    public var kind: Kind
    public var executable: String?
    /// `linux/amd64` for a program (the only platform programs are built for); nil for Python.
    public var platform: String?

    public init(name: String, version: String? = nil, description: String? = nil, keywords: [String] = [],
                url: String? = nil, kind: Kind = .python, executable: String? = nil) {
        self.name = name
        self.version = version
        self.description = description
        self.keywords = keywords
        self.url = url
        self.kind = kind
        self.executable = executable
        self.platform = kind == .program ? "linux/amd64" : nil
    }

    public static let fileName = "manifest.yml"

    /// Reads `manifest.yml` text; `place` names the file in messages.
    public static func parse(_ text: String, place: String) throws(HubError) -> PackageManifest {
        func problem(_ message: String, _ mark: Mark? = nil, hint: String? = nil) -> HubError {
            let at = mark.map { "\(place):\($0.line):\($0.column)" } ?? place
            return HubError(.invalidInput, "\(at): \(message)", hint: hint)
        }
        let root: YAMLNode?
        do { root = try YAMLLoader.load(text) } catch { throw problem(error.message, error.mark, hint: error.hint) }
        guard let root, case .mapping(let pairs) = root.content else {
            throw problem("a manifest must be a mapping with at least `name`",
                          hint: "write `name: MyExecutor` and `version: 0.1.0`")
        }
        var strings: [String: (String, Mark)] = [:]
        var keywords: [String] = []
        for pair in pairs {
            let key = pair.key.scalar?.text ?? ""
            switch pair.value.content {
            case .scalar(let scalar) where scalar.value != .null:
                strings[key] = (scalar.text, pair.value.mark)
            case .sequence(let items) where key == "keywords":
                keywords = items.compactMap { $0.scalar?.text }
            default:
                break
            }
        }
        guard let (name, nameMark) = strings["name"] else {
            throw problem("`name` is missing", hint: "add `name: MyExecutor` (letters, digits, `.`, `_`, `-`)")
        }
        guard HubReference.isComponent(name) else {
            throw problem("`\(name)` cannot be a package name", nameMark,
                          hint: "use letters and digits, joined by single `.`, `_` or `-`")
        }
        var kind = Kind.python
        if let (text, mark) = strings["kind"] {
            guard let parsed = Kind(rawValue: text) else {
                throw problem("kind `\(text)` is neither `python` nor `program`", mark)
            }
            kind = parsed
        }
        var manifest = PackageManifest(
            name: name, version: strings["version"]?.0, description: strings["description"]?.0,
            keywords: keywords, url: strings["url"]?.0, kind: kind, executable: strings["executable"]?.0)
        if kind == .program, manifest.executable == nil {
            throw problem("a program package needs `executable:`, the path of its program in the package",
                          hint: "add `executable: bin/\(name)`")
        }
        if let (version, mark) = strings["version"], !HubReference.isTag(version) {
            throw problem("version `\(version)` cannot be a registry tag", mark, hint: "use letters, digits, `.`, `_` and `-`, e.g. 0.1.0")
        }
        manifest.platform = kind == .program ? "linux/amd64" : nil
        return manifest
    }
}
