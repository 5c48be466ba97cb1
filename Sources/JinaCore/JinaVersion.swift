/// The version of this `jina` binary and its libraries.
public enum JinaVersion {
    /// Semantic version of this release; also the default container image tag in exports.
    public static let current = "0.1.0"
}
