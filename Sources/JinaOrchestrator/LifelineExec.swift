/// `jina _lifeline-exec PROGRAM ARGS…`: runs PROGRAM so that it cannot outlive `jina flow`
/// (Sources/CJinaLifeline). The entry point handles it before anything else.
public enum LifelineExec {
    public static let command = "_lifeline-exec"
    /// After the lifeline ends: SIGTERM, this long, then SIGKILL.
    public static let graceMilliseconds: Int32 = 1000
}
