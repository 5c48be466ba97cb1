/// Paths a Flow names (`uses: x.yml`, program paths, `py_modules`): relative to the Flow file's
/// folder.
public enum FlowPath {
    /// `path` as is when absolute, else under `directory` (leading `./` dropped; an empty
    /// directory is the working directory).
    public static func resolve(_ path: String, in directory: String) -> String {
        if path.hasPrefix("/") { return path }
        var relative = Substring(path)
        while relative.hasPrefix("./") { relative = relative.dropFirst(2) }
        let base = directory.isEmpty ? "." : directory
        return base.hasSuffix("/") ? base + relative : base + "/" + relative
    }
}
