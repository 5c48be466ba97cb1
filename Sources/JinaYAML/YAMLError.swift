/// A problem found while reading YAML text: malformed syntax, a duplicate key, more than one
/// document, or an alias structure that is cyclic or too large.
public struct YAMLError: Error, Sendable, Equatable {
    public var message: String
    /// Where the problem is (1-based), when known.
    public var mark: Mark?
    /// A hint for the user (what to try), when one helps.
    public var hint: String?

    public init(message: String, mark: Mark?, hint: String? = nil) {
        self.message = message
        self.mark = mark
        self.hint = hint
    }
}
