/// How similar two vectors are. Every metric reports a score where higher means more similar
/// (issue #13: one result shape everywhere, which the gateway's shard reduce sorts by):
///
/// | metric | score |
/// |---|---|
/// | `cosine` | cos(q, v), in [-1, 1] (vectors are stored normalised; the query is normalised) |
/// | `dot` | q · v |
/// | `l2` | −‖q − v‖ (the negated Euclidean distance) |
public enum VectorMetric: String, Sendable, CaseIterable {
    case cosine, dot, l2
}
