import ArgumentParser

/// The documented exit codes of every `jina` subcommand (decisions.md: one meaning each).
enum ExitStatus {
    /// Everything worked.
    static let success: Int32 = 0
    /// A runtime failure: could not start, lost a peer, a request failed.
    static let runtimeFailure: Int32 = 1
    /// Invalid input: a bad flag or argument, an invalid Flow YAML, a malformed target.
    static let invalidInput: Int32 = 2

    static let helpText = """
        EXIT STATUS:
          0  success
          1  runtime failure (could not start, lost a peer, a request failed)
          2  invalid input (bad flag or argument, invalid Flow YAML, malformed target)
        """
}
