import JinaCore

/// The error a subcommand raises while its capability has not been built yet: it says so
/// plainly instead of pretending to work.
func notAvailableYet(_ command: String, issue: Int) -> JinaError {
    JinaError(
        .runtime,
        "`\(command)` is not available in jina \(JinaVersion.current) yet",
        hint: "it is planned (issue #\(issue)); `jina flow --uses FILE --validate` works today"
    )
}
