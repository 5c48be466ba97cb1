/// Merges the Prometheus text expositions of several processes into one, adding labels that
/// say which process each series came from (`jina flow`'s aggregated `/metrics`).
///
/// Families keep one `# HELP`/`# TYPE` header, with every source's samples under it, so the
/// result is valid exposition even when every process exports the same names. A label a
/// sample already has is not overwritten.
public struct ExpositionMerger: Sendable {
    struct Family: Sendable {
        var name: String
        var type: String?
        var help: String?
        var samples: [String] = []
    }

    private var families: [Family] = []
    private var index: [String: Int] = [:]

    public init() {}

    /// Adds the exposition `text` with `labels` added to each of its samples.
    public mutating func add(_ text: String, labels: [(String, String)]) {
        var current: String?
        for raw in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.hasPrefix("#") {
                let parts = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: true)
                guard parts.count >= 3, parts[1] == "HELP" || parts[1] == "TYPE" else { continue }
                let name = String(parts[2])
                let rest = parts.count > 3 ? String(parts[3]) : ""
                let position = family(name)
                if parts[1] == "TYPE" {
                    if families[position].type == nil { families[position].type = rest }
                } else if families[position].help == nil {
                    families[position].help = rest
                }
                current = name
                continue
            }
            let sampleName = Self.sampleName(line)
            let owner: String
            if let current, Self.belongs(sampleName, to: current) {
                owner = current
            } else {
                owner = sampleName
                current = nil
            }
            families[family(owner)].samples.append(Self.relabel(line, adding: labels))
        }
    }

    /// The merged exposition.
    public var text: String {
        var out = ""
        for family in families {
            if let help = family.help { out += "# HELP \(family.name) \(help)\n" }
            if let type = family.type { out += "# TYPE \(family.name) \(type)\n" }
            for sample in family.samples { out += sample + "\n" }
        }
        return out
    }

    private mutating func family(_ name: String) -> Int {
        if let position = index[name] { return position }
        families.append(Family(name: name))
        index[name] = families.count - 1
        return families.count - 1
    }

    /// A sample of family `family`: the same name, or one of the suffixes histograms,
    /// summaries and counters add.
    static func belongs(_ sample: String, to family: String) -> Bool {
        if sample == family { return true }
        guard sample.hasPrefix(family) else { return false }
        let suffix = sample.dropFirst(family.count)
        return ["_bucket", "_sum", "_count", "_total", "_created"].contains(String(suffix))
    }

    static func sampleName(_ line: Substring) -> String {
        String(line.prefix { $0 != "{" && $0 != " " })
    }

    /// `line` with `labels` added to its label set (those it already has are kept as they are).
    static func relabel(_ line: Substring, adding labels: [(String, String)]) -> String {
        let name = sampleName(line)
        var rest = line.dropFirst(name.count)
        var existing = ""
        if rest.first == "{" {
            guard let close = labelSetEnd(rest) else { return String(line) }
            existing = String(rest[rest.index(after: rest.startIndex)..<close])
            rest = rest[rest.index(after: close)...]
        }
        var pairs = existing.isEmpty ? [] : [existing.hasSuffix(",") ? String(existing.dropLast()) : existing]
        for (key, value) in labels where !hasLabel(existing, key) {
            pairs.append("\(key)=\"\(escape(value))\"")
        }
        return pairs.isEmpty ? name + rest : "\(name){\(pairs.joined(separator: ","))}\(rest)"
    }

    /// The `}` closing the label set that starts at `text`'s first character (quotes respected).
    static func labelSetEnd(_ text: Substring) -> String.Index? {
        var inQuotes = false
        var escaped = false
        for position in text.indices {
            let character = text[position]
            if escaped {
                escaped = false
            } else if character == "\\" {
                escaped = inQuotes
            } else if character == "\"" {
                inQuotes.toggle()
            } else if character == "}", !inQuotes {
                return position
            }
        }
        return nil
    }

    static func hasLabel(_ labels: String, _ key: String) -> Bool {
        labels.hasPrefix("\(key)=") || labels.contains(",\(key)=")
    }

    /// A label value as the exposition format writes it.
    public static func escape(_ value: String) -> String {
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }
}
