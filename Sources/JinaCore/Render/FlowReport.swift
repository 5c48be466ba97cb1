import Foundation

/// The `--json` form of a Flow check: `{"errors": [...], "warnings": [...], "flow": {...}}`,
/// where `flow` (the resolved Flow) is present only when there are no errors.
public enum FlowReport {
    public static func json(_ result: FlowLoadResult) -> String {
        let report = Report(
            errors: result.diagnostics.errors.map { Entry(result.diagnostics.file, $0) },
            warnings: result.diagnostics.warnings.map { Entry(result.diagnostics.file, $0) },
            flow: result.diagnostics.hasErrors ? nil : result.flow
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(report), as: UTF8.self)
        } catch {
            // Only non-finite numbers can fail to encode; say so rather than print half a report.
            return #"{"errors": [{"message": "cannot encode the report: \#(error)"}], "warnings": []}"#
        }
    }

    private struct Report: Encodable {
        var errors: [Entry]
        var warnings: [Entry]
        var flow: Flow?
    }

    struct Entry: Encodable {
        var file: String
        var line: Int?
        var column: Int?
        var message: String
        var hint: String?

        init(_ file: String, _ item: Diagnostic) {
            self.file = item.file ?? file
            line = item.mark?.line
            column = item.mark?.column
            message = item.message
            hint = item.hint
        }

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(file, forKey: .file)
            try container.encode(line, forKey: .line)
            try container.encode(column, forKey: .column)
            try container.encode(message, forKey: .message)
            try container.encode(hint, forKey: .hint)
        }

        enum CodingKeys: String, CodingKey { case file, line, column, message, hint }
    }
}
