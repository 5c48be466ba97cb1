import JinaYAML

/// One executor entry while it is being validated.
struct ExecutorDraft {
    /// 0-based position in `executors:`.
    var index: Int
    /// The entry as written.
    var node: YAMLNode
    /// Its own keys only.
    var own: SectionValues
    /// Own keys over inherited common keys.
    var values: SectionValues
    var name: String
    /// Where the name was written; nil for a default name.
    var nameMark: Mark?
    /// False when the name itself was reported as invalid (later checks stay quiet about it).
    var nameIsValid = true
    var uses: ExecutorUses = .default
    /// `uses_before` / `uses_after`, classified like `uses`.
    var usesBefore: ExecutorUses?
    var usesAfter: ExecutorUses?
    var needs: [String] = []

    var spec: ExecutorSpec {
        var spec = ExecutorSpec(name: name, uses: uses, needs: needs, values: values)
        spec.usesBefore = usesBefore
        spec.usesAfter = usesAfter
        return spec
    }

    /// Where messages about the executor as a whole point.
    var mark: Mark { node.mark }
}
