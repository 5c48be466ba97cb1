import JinaYAML
import Testing

@Suite("Marks")
struct MarkTests {
    static let flow = """
        jtype: Flow
        executors:
          - name: encoder
            replicas: 2
            uses_with: {model: "tiny", dim: 8}
        """

    @Test func nestedKeysValuesAndItemsCarryLineAndColumn() throws {
        let root = try load(Self.flow)
        #expect(root.mark == mark(1, 1))
        guard case .mapping(let pairs) = root.content else {
            Issue.record("root is not a mapping")
            return
        }
        #expect(pairs[1].key.mark == mark(2, 1))
        let executors = try #require(root["executors"])
        #expect(executors.mark == mark(3, 3))  // the block sequence starts at its first '-'
        let encoder = try #require(executors[0])
        #expect(encoder.mark == mark(3, 5))
        #expect(encoder["name"]?.mark == mark(3, 11))
        #expect(encoder["replicas"]?.mark == mark(4, 15))
        let usesWith = try #require(encoder["uses_with"])
        #expect(usesWith.mark == mark(5, 16))
        #expect(usesWith["model"]?.mark == mark(5, 24))  // quotes included
        #expect(usesWith["dim"]?.mark == mark(5, 37))
    }

    @Test func keyMarksPointAtTheKey() throws {
        let root = try load("a:\n  bb: 1\n  cc: 2\n")
        guard case .mapping(let inner) = try #require(root["a"]).content else {
            Issue.record("a is not a mapping")
            return
        }
        #expect(inner.map(\.key.mark) == [mark(2, 3), mark(3, 3)])
    }

    @Test func columnsCountCharactersNotBytes() throws {
        // é is 2 bytes; libyaml counts it as one column, as do we.
        let root = try load("{é: 1, b: 2}")
        guard case .mapping(let pairs) = root.content else {
            Issue.record("not a mapping")
            return
        }
        #expect(pairs[1].key.mark == mark(1, 8))
        #expect(pairs[1].value.mark == mark(1, 11))
    }

    @Test func columnsCountGraphemeClustersNotUnicodeScalars() throws {
        // e + U+0301 and a flag are one character each, though two Unicode scalars.
        let root = try load("[e\u{301}, 🇫🇷, b]")
        #expect(root[2]?.mark == mark(1, 8))
        let items = try load("k: v\n\"\u{1F1EB}\u{1F1F7}\": [x, y]\n")
        #expect(items["🇫🇷"]?[1]?.mark == mark(2, 10))
    }

    @Test func crlfAndByteOrderMarkDoNotShiftMarks() throws {
        let root = try load("\u{FEFF}a: 1\r\nb: 2\r\n")
        #expect(root.mark == mark(1, 1))
        #expect(root["b"]?.mark == mark(2, 4))
    }

    @Test func markOrderingAndDescription() {
        #expect(mark(2, 1) > mark(1, 9))
        #expect(mark(3, 4).description == "3:4")
    }
}
