/// Which invocations of `jina` are long-running servers (see main.swift).
enum ServerProcess {
    /// `jina flow` (not `--validate`), `jina gateway`, `jina executor`.
    static func isServer(_ arguments: [String]) -> Bool {
        guard arguments.count > 1 else { return false }
        switch arguments[1] {
        case "flow": return !arguments.contains("--validate")
        case "gateway", "executor": return true
        default: return false
        }
    }
}
