import JinaYAML

/// One problem found in a Flow: an error stops the Flow from starting, a warning does not.
public struct Diagnostic: Sendable, Equatable, Comparable {
    public enum Severity: String, Sendable, Equatable, Codable {
        case error, warning
    }

    public var severity: Severity
    /// Where the problem is in the Flow YAML; nil only for problems of the file as a whole.
    public var mark: Mark?
    public var message: String
    /// What to try, when one helps (rendered as an indented `hint:` line).
    public var hint: String?
    /// Set when the problem is in another file the Flow names (an executor YAML): that file,
    /// as the user wrote it; `mark` is then a place in it.
    public var file: String?

    public init(_ severity: Severity, at mark: Mark?, _ message: String, hint: String? = nil) {
        self.severity = severity
        self.mark = mark
        self.message = message
        self.hint = hint
    }

    public static func error(at mark: Mark?, _ message: String, hint: String? = nil) -> Diagnostic {
        Diagnostic(.error, at: mark, message, hint: hint)
    }

    public static func warning(at mark: Mark?, _ message: String, hint: String? = nil) -> Diagnostic {
        Diagnostic(.warning, at: mark, message, hint: hint)
    }

    /// Sorted by position; problems without a position come first, those in other files last.
    public static func < (lhs: Diagnostic, rhs: Diagnostic) -> Bool {
        if lhs.file != rhs.file { return (lhs.file ?? "") < (rhs.file ?? "") }
        switch (lhs.mark, rhs.mark) {
        case (nil, nil): return lhs.message < rhs.message
        case (nil, _): return true
        case (_, nil): return false
        case let (l?, r?): return l == r ? lhs.message < rhs.message : l < r
        }
    }
}

/// Every problem of one Flow file, ready to render.
public struct FlowDiagnostics: Error, Sendable, Equatable {
    /// The file as the user named it (`<stdin>` for standard input).
    public var file: String
    public var items: [Diagnostic]

    public init(file: String, items: [Diagnostic]) {
        self.file = file
        self.items = items.sorted()
    }

    public var errors: [Diagnostic] { items.filter { $0.severity == .error } }
    public var warnings: [Diagnostic] { items.filter { $0.severity == .warning } }
    public var hasErrors: Bool { items.contains { $0.severity == .error } }
}
