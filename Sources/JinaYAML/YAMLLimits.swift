/// Bounds that keep loading hostile or broken YAML fast and finite.
///
/// Aliases are expanded (a Flow may share settings through `&anchor` / `*alias` and `<<` merge
/// keys), so a small file can describe an exponentially large tree ("billion laughs"). The loader
/// stops with an error once the expanded tree would exceed these limits.
public struct YAMLLimits: Sendable, Equatable {
    /// The deepest nesting of sequences and mappings allowed; the root collection is level 1.
    /// Converting the tree recurses once per level, so keep this in the hundreds.
    public var maxDepth: Int
    /// The most nodes the loaded tree may hold, counting every alias expansion in full.
    public var maxNodes: Int

    /// Limits other than the default, e.g. tighter ones for tests.
    public init(maxDepth: Int, maxNodes: Int) {
        self.maxDepth = maxDepth
        self.maxNodes = maxNodes
    }

    /// 200 levels and 100,000 nodes: far beyond any real Flow, small enough to fail in milliseconds.
    public static let `default` = YAMLLimits(maxDepth: 200, maxNodes: 100_000)
}
