import Foundation
import JinaCore
import JinaYAML
import Testing

/// Mutates the example Flows (and the valid golden inputs) a few thousand times: every result
/// must either load, or fail with problems that all have a position inside the text — never a
/// crash or a hang.
@Suite struct MutationFuzzTests {
    static let variantsPerSeedFile = 500

    @Test func mutatedFlowsNeverCrashAndAlwaysPointSomewhere() throws {
        var seeds = exampleFlows()
        let golden = goldenSourceDirectory
        let goodNames = (try? FileManager.default.contentsOfDirectory(atPath: golden.path)) ?? []
        seeds += goodNames.filter { $0.hasPrefix("good-") && $0.hasSuffix(".yml") }.sorted().map { golden.appendingPathComponent($0) }
        #expect(!seeds.isEmpty)
        var generator = SplitMix64(seed: 0x5EED_F10E)
        var loaded = 0, rejected = 0
        let start = ContinuousClock.now
        for seed in seeds {
            let original = try String(contentsOf: seed, encoding: .utf8)
            for _ in 0..<Self.variantsPerSeedFile {
                var text = original
                for _ in 0..<Int.random(in: 1...3, using: &generator) {
                    text = Mutation.apply(to: text, using: &generator)
                }
                let result = FlowLoader.load(text: text, file: "fuzz.yml", environment: [:])
                _ = DiagnosticRenderer.text(result.diagnostics)
                let lineCount = text.split(separator: "\n", omittingEmptySubsequences: false).count
                for item in result.diagnostics.items {
                    if let mark = item.mark {
                        #expect(mark.line >= 1 && mark.line <= lineCount + 1 && mark.column >= 1,
                                "mark \(mark) outside the text:\n\(text)")
                    } else {
                        #expect(item.message.hasPrefix("the file holds no Flow"), "no position: \(item.message)\n\(text)")
                    }
                }
                if result.flow != nil {
                    #expect(!result.diagnostics.hasErrors)
                    loaded += 1
                } else {
                    #expect(result.diagnostics.hasErrors, "no Flow and no error:\n\(text)")
                    rejected += 1
                }
            }
        }
        #expect(loaded > 0 && rejected > 0)
        #expect(ContinuousClock.now - start < .seconds(60))
    }
}

/// One random edit of a Flow file's text.
enum Mutation {
    static let garbage = [
        "", "[", "{", "]]", "&a *a", "*nope", "!!int x", "${{ ENV.X }}", "${{", "-1", "0",
        "99999999999999999999", "\"unterminated", "? x", "|", ">", "- -", "~", ":", "@", "%",
        "\t", "[a, [b, {c: d}]]", "{a: 1, a: 2}", "é", "\u{FEFF}", "yes", "0x1F", "1e3", "!Flow",
        "${{ CONTEXT.x }}", "${{ ENV.X:-3 }}", "gateway", "[gateway, gateway]", "Identity",
    ]

    static func apply(to text: String, using generator: inout SplitMix64) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard !lines.isEmpty else { return text }
        let index = Int.random(in: 0..<lines.count, using: &generator)
        switch Int.random(in: 0..<9, using: &generator) {
        case 0: lines.remove(at: index)
        case 1: lines.insert(lines[index], at: index)
        case 2:
            let shift = Int.random(in: -3...3, using: &generator)
            let leading = lines[index].prefix { $0 == " " }.count
            lines[index] = shift >= 0 ? String(repeating: " ", count: shift) + lines[index]
                : String(lines[index].dropFirst(min(-shift, leading)))
        case 3:
            lines.swapAt(index, Int.random(in: 0..<lines.count, using: &generator))
        case 4:
            if let colon = lines[index].firstIndex(of: ":") {
                lines[index] = String(lines[index][...colon]) + " " + garbage.randomElement(using: &generator)!
            }
        case 5: lines[index] = insert(": [", into: lines[index], using: &generator)
        case 6: lines[index] = insert("&a *a", into: lines[index], using: &generator)
        case 7:
            let all = lines.joined(separator: "\n")
            return String(all.prefix(Int.random(in: 0...all.count, using: &generator)))
        default:
            lines[index] = insert(garbage.randomElement(using: &generator)!, into: lines[index], using: &generator)
        }
        return lines.joined(separator: "\n")
    }

    private static func insert(_ piece: String, into line: String, using generator: inout SplitMix64) -> String {
        var line = line
        let offset = Int.random(in: 0...line.count, using: &generator)
        line.insert(contentsOf: piece, at: line.index(line.startIndex, offsetBy: offset))
        return line
    }
}

/// A small deterministic generator, so every run tries the same mutations.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
