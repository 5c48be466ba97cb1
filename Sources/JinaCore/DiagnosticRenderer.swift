/// Renders Flow diagnostics for people (`FILE:LINE:COL: error: MESSAGE` plus an indented
/// `hint:` line); `FlowReport` gives the `--json` form.
public enum DiagnosticRenderer {
    /// One line per problem, each optionally followed by `  hint: …`; sorted by position.
    public static func text(_ diagnostics: FlowDiagnostics) -> String {
        diagnostics.items.map { item in
            var line = location(item.file ?? diagnostics.file, item) + "\(item.severity.rawValue): \(item.message)"
            if let hint = item.hint { line += "\n  hint: \(hint)" }
            return line
        }.joined(separator: "\n")
    }

    private static func location(_ file: String, _ item: Diagnostic) -> String {
        guard let mark = item.mark else { return "\(file): " }
        return "\(file):\(mark.line):\(mark.column): "
    }
}
