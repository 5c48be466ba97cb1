/// The version of Python Jina whose wire protocol this module matches; reported by
/// `JinaInfoRPC/_status` and checked by interop tests.
public enum JinaProtocolVersion {
    /// Python Jina release whose `jina.proto` and `docarray.proto` these messages reproduce.
    public static let jina = "3.34.0"
    /// The docarray protocol generation ("v2": documents as `DocProto` maps of nodes).
    public static let docarray = "0.41.0"
}
