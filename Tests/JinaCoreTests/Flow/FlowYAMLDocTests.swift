import Foundation
import JinaCore
import Testing

/// Keeps `docs/flow-yaml.md` honest: every key of every `FlowKeys` table is documented (in its
/// section's table, with the right status), and every error example prints what the doc says.
@Suite struct FlowYAMLDocTests {
    /// `docs/flow-yaml.md`, found from this file's path (Tests/JinaCoreTests/Flow/…).
    static let docURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("docs/flow-yaml.md")

    static func doc() throws -> String {
        try String(contentsOf: docURL, encoding: .utf8)
    }

    /// Every table, with the doc section whose table lists its keys (nil: anywhere in the doc).
    static let tables: [(name: String, table: KeyTable, section: String?)] = [
        ("topLevel", FlowKeys.topLevel, "## Top level"),
        ("flowOwn", FlowKeys.flowOwn, "## `with:` and inheritance"),
        ("withCommon", FlowKeys.withCommon, nil),
        ("gateway", FlowKeys.gateway, "## `gateway:` keys"),
        ("executor", FlowKeys.executor, "## Executor keys"),
    ]

    @Test func everyKeyNameAppearsInBackticks() throws {
        let doc = try Self.doc()
        for (tableName, table, _) in Self.tables {
            for key in table.keys {
                for spelling in [key.name] + key.aliases {
                    #expect(doc.contains("`\(spelling)`"),
                            "FlowKeys.\(tableName): `\(spelling)` is not documented in docs/flow-yaml.md")
                }
            }
        }
    }

    /// Each section's table has exactly one row per key (aliases in the same row), no stale rows,
    /// and the status column says what `KeySpec.support` says.
    @Test func sectionTablesMatchTheKeyTables() throws {
        let doc = try Self.doc()
        for (tableName, table, section) in Self.tables {
            guard let section else { continue }
            let rows = Self.tableRows(in: doc, section: section)
            #expect(!rows.isEmpty, "no key table found under \(section)")
            var documented: [String: Row] = [:]
            for row in rows {
                for name in row.names {
                    #expect(documented[name] == nil, "\(section): `\(name)` has two rows")
                    documented[name] = row
                }
            }
            for key in table.keys {
                let spellings = [key.name] + key.aliases
                guard let row = documented[key.name] else {
                    Issue.record("FlowKeys.\(tableName): `\(key.name)` has no row under \(section)")
                    continue
                }
                #expect(Set(row.names) == Set(spellings),
                        "\(section): the row of `\(key.name)` lists \(row.names), expected \(spellings)")
                guard tableName != "topLevel" else { continue }
                let expected = switch key.support {
                case .used: "acted on"
                case .accepted: "warning"
                case .rejected: "refused"
                }
                #expect(row.status.hasPrefix(expected),
                        "\(section): `\(key.name)` is \(expected) in FlowKeys, the doc says \"\(row.status)\"")
            }
            let known = Set(table.keys.flatMap { [$0.name] + $0.aliases })
            for name in documented.keys where !known.contains(name) {
                Issue.record("\(section): `\(name)` is documented but not in FlowKeys.\(tableName)")
            }
        }
    }

    /// Every ```yaml block directly followed by a ```text block starting with `flow.yml` is an
    /// error example: validating it (with no environment) must print exactly that text.
    @Test func errorExamplesPrintWhatTheDocSays() throws {
        let examples = Self.examples(in: try Self.doc())
        #expect(examples.count >= 30, "expected the error list's examples, found \(examples.count)")
        for example in examples {
            let result = FlowLoader.load(text: example.yaml, file: "flow.yml", environment: [:])
            let printed = DiagnosticRenderer.text(result.diagnostics)
            #expect(printed == example.expected, "example:\n\(example.yaml)")
        }
    }

    // MARK: - Reading the doc

    struct Row {
        /// The key and its other spellings: every backticked word of the first cell.
        var names: [String]
        /// The last cell.
        var status: String
    }

    /// Rows of the first table after the `section` heading (before the next `## ` heading).
    static func tableRows(in doc: String, section: String) -> [Row] {
        let lines = doc.components(separatedBy: "\n")
        guard let start = lines.firstIndex(of: section) else { return [] }
        var rows: [Row] = []
        var inTable = false
        for line in lines[(start + 1)...] {
            if line.hasPrefix("## ") { break }
            guard line.hasPrefix("|") else {
                if inTable { break }
                continue
            }
            inTable = true
            let cells = line.split(separator: "|", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            // A row is `| key | … | status |`: leading and trailing empty pieces around the cells.
            guard cells.count >= 4, let first = cells.dropFirst().first, first.hasPrefix("`") else { continue }
            rows.append(Row(names: backticked(first), status: cells[cells.count - 2]))
        }
        return rows
    }

    /// The words between backticks in `text`.
    static func backticked(_ text: String) -> [String] {
        text.split(separator: "`", omittingEmptySubsequences: false).enumerated()
            .filter { $0.offset % 2 == 1 }.map { String($0.element) }
    }

    /// (yaml, expected output) pairs of the error examples.
    static func examples(in doc: String) -> [(yaml: String, expected: String)] {
        let lines = doc.components(separatedBy: "\n")
        var result: [(String, String)] = []
        var index = 0
        func block(from open: Int) -> (body: [String], end: Int)? {
            guard let close = lines[(open + 1)...].firstIndex(of: "```") else { return nil }
            return (Array(lines[(open + 1)..<close]), close)
        }
        while index < lines.count {
            guard lines[index] == "```yaml", let yaml = block(from: index) else {
                index += 1
                continue
            }
            var next = yaml.end + 1
            while next < lines.count, lines[next].isEmpty { next += 1 }
            if next < lines.count, lines[next] == "```text", let text = block(from: next),
               text.body.first?.hasPrefix("flow.yml") == true {
                result.append((yaml.body.joined(separator: "\n") + "\n", text.body.joined(separator: "\n")))
                index = text.end + 1
            } else {
                index = yaml.end + 1
            }
        }
        return result
    }
}
