import JinaYAML

/// Reads one mapping section of a Flow file against its key table: unknown keys (with a
/// did-you-mean), keys written twice under two spellings, refused keys, keys accepted without
/// effect (a warning), and every value's type.
struct SectionReader {
    /// The table of keys this section accepts.
    var table: KeyTable
    /// How keys of this section are called in messages: `executor key`, `gateway key`.
    var noun: String
    /// Extra advice for an unknown key with no close spelling (`prefetch` is a gateway key).
    var elsewhere: (String) -> String? = { _ in nil }

    /// Checks `node` (a mapping, or null for an empty section) and returns its values.
    func read(_ node: YAMLNode, section: String, into problems: inout [Diagnostic]) -> SectionValues {
        var values = SectionValues(mark: node.mark)
        switch node.content {
        case .mapping(let pairs):
            for pair in pairs { read(pair, into: &values, problems: &problems) }
        case .scalar(let scalar) where scalar.value == .null:
            break
        default:
            problems.append(.error(at: node.mark, "\(section): expected a mapping, got \(node.kindDescription)"))
        }
        return values
    }

    private func read(_ pair: YAMLPair, into values: inout SectionValues, problems: inout [Diagnostic]) {
        guard pair.key.scalar != nil else {
            problems.append(.error(at: pair.key.mark, "keys must be strings, got \(pair.key.kindDescription)"))
            return
        }
        let written = pair.key.keyText
        guard let spec = table[written] else {
            problems.append(.error(
                at: pair.key.mark, "unknown \(noun) `\(written)`",
                hint: DidYouMean.hint(for: written, among: table.spellings) ?? elsewhere(written)))
            return
        }
        if let earlier = values[spec.name] {
            let spellings = ([spec.name] + spec.aliases).map { "`\($0)`" }.joined(separator: ", ")
            problems.append(.error(
                at: pair.key.mark, "`\(written)` sets `\(spec.name)` a second time (first at line \(earlier.keyMark.line))",
                hint: "\(spellings) are one key; keep one of them"))
            return
        }
        switch spec.support {
        case .rejected(let message, let hint):
            problems.append(.error(at: pair.key.mark, message, hint: hint))
            // Kept without a value, so that later checks know the key was there.
            values[spec.name] = SpecEntry(
                key: spec.name, value: nil, keyMark: pair.key.mark, valueMark: pair.value.mark, node: pair.value)
            return
        case .accepted:
            problems.append(.warning(at: pair.key.mark, "accepted but not used by this version: \(written)",
                                     hint: spec.note))
        case .used:
            break
        }
        let value: SpecValue?
        if pair.value.scalar?.value == .null {
            value = .null  // Jina drops None values: the key keeps its default.
        } else {
            value = ValueChecker.check(pair.value, as: spec.kind, key: written, into: &problems)
        }
        values[spec.name] = SpecEntry(
            key: spec.name, value: value, keyMark: pair.key.mark, valueMark: pair.value.mark, node: pair.value)
    }
}
