import Foundation
import JinaYAML

/// What loading a Flow file gave: the Flow when it is valid, and every problem found.
public struct FlowLoadResult: Sendable {
    /// The validated Flow; nil when there is any error (warnings alone keep it).
    public var flow: Flow?
    public var diagnostics: FlowDiagnostics

    /// A result from its parts.
    public init(flow: Flow?, diagnostics: FlowDiagnostics) {
        self.flow = flow
        self.diagnostics = diagnostics
    }
}

/// Reads Flow YAML text into a validated `Flow`: parse, substitute `${{ ENV.X }}`, type and
/// validate, reporting every problem at once.
public enum FlowLoader {
    /// Parses, substitutes, types and validates; never throws; all problems in `diagnostics`.
    ///
    /// Only a file that does not parse as YAML stops early (with that single error); otherwise
    /// every problem of the file is reported, sorted by position.
    /// - Parameter directory: the Flow file's folder; files the Flow names (`py_modules`,
    ///   executor YAMLs) are checked there. nil checks no files.
    public static func load(text: String, file: String, environment: [String: String], directory: String? = nil) -> FlowLoadResult {
        let document: YAMLNode?
        do {
            document = try YAMLLoader.load(text)
        } catch {
            return FlowLoadResult(flow: nil, diagnostics: FlowDiagnostics(
                file: file, items: [.error(at: error.mark, error.message, hint: error.hint)]))
        }
        guard let document else {
            return FlowLoadResult(flow: nil, diagnostics: FlowDiagnostics(
                file: file, items: [.error(at: nil, "the file holds no Flow (it is empty)",
                                           hint: "a Flow file starts with `jtype: Flow`")]))
        }
        return load(document: document, file: file, environment: environment, directory: directory)
    }

    /// Substitutes, types and validates a parsed Flow tree (a Deployment's too, once converted).
    static func load(document: YAMLNode, file: String, environment: [String: String], directory: String?) -> FlowLoadResult {
        var problems: [Diagnostic] = []
        let substituted = EnvSubstitution.apply(to: document, environment: environment)
        for error in substituted.errors {
            problems.append(.error(at: error.mark, error.message, hint: error.hint))
        }
        // A value whose substitution failed is reported once, not again as a wrong type.
        var substitutionMarks = Set(problems.compactMap(\.mark))
        ExpressionScanner.scan(substituted.node, skipping: substitutionMarks, into: &problems)
        substitutionMarks.formUnion(problems.compactMap(\.mark))

        var validator = FlowValidator()
        validator.directory = directory
        if let slash = file.lastIndex(of: "/") { validator.displayFolder = String(file[..<slash]) }
        var flow = validator.validate(substituted.node)
        // What the executor YAMLs' built-ins bring (their problems are reported above).
        if let directory, let valid = flow { flow = (try? ExecutorFileDefaults.apply(to: valid, flowDirectory: directory)) ?? valid }
        // The same problem can be found twice (a `with:` value checked for each receiver).
        var seen = Set(problems.map(\.identity))
        for problem in validator.problems where !(problem.mark.map(substitutionMarks.contains) ?? false) {
            if seen.insert(problem.identity).inserted { problems.append(problem) }
        }
        let hasErrors = problems.contains { $0.severity == .error }
        return FlowLoadResult(flow: hasErrors ? nil : flow, diagnostics: FlowDiagnostics(file: file, items: problems))
    }
}

extension Diagnostic {
    /// What makes two diagnostics the same report.
    fileprivate var identity: String {
        "\(severity.rawValue)|\(mark?.description ?? "-")|\(message)"
    }
}
