import Foundation
@testable import JinaModels
import Testing

@Suite("BERT's WordPiece tokenizer")
struct WordPieceTokenizerTests {
    /// A small vocabulary: special tokens, words, pieces.
    static let tokenizer = try! WordPieceTokenizer(vocabulary: Dictionary(uniqueKeysWithValues: [
        "[PAD]", "[UNK]", "[CLS]", "[SEP]", "un", "##aff", "##able", "hello", ",", "world", "!", "cafe", "日", "本",
        "a", "##b", "the",
    ].enumerated().map { ($1, Int32($0)) }))

    @Test("the basic pass lower-cases, strips accents, splits punctuation and CJK, drops control characters")
    func basic() {
        let tokenizer = Self.tokenizer
        #expect(tokenizer.basicTokens("Hello,World!") == ["hello", ",", "world", "!"])
        #expect(tokenizer.basicTokens("  Café\t\u{00A0}NAÏVE\n") == ["cafe", "naive"])
        #expect(tokenizer.basicTokens("日本語") == ["日", "本", "語"])
        #expect(tokenizer.basicTokens("a\u{0000}b\u{200B}c\u{FFFD}") == ["abc"])
        #expect(tokenizer.basicTokens("x$y") == ["x", "$", "y"])
    }

    @Test("the ASCII fast path gives the tokens of the general pass")
    func asciiFastPath() {
        var random = SystemRandomNumberGenerator()
        let alphabet = Array(0..<128).map { UInt8($0) }
        for _ in 0..<500 {
            let bytes = (0..<Int.random(in: 0..<40, using: &random)).map { _ in alphabet.randomElement(using: &random)! }
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(WordPieceTokenizer.asciiTokens(text) == Self.tokenizer.unicodeTokens(text), "\(bytes)")
        }
    }

    @Test("WordPiece takes the longest piece first; a word it cannot split is [UNK]")
    func pieces() {
        let tokenizer = Self.tokenizer
        #expect(tokenizer.tokens("unaffable") == [4, 5, 6])
        #expect(tokenizer.tokens("ab abz") == [14, 15, 1])
        #expect(tokenizer.tokens(String(repeating: "a", count: 101)) == [1])
        #expect(tokenizer.encode("Hello, world!") == [2, 7, 8, 9, 10, 3])
        #expect(tokenizer.encode("hello world the hello", maxLength: 4) == [2, 7, 9, 3])
        #expect(tokenizer.encode("") == [2, 3])
    }

    @Test("a vocabulary without the special tokens is refused, naming the token")
    func specialTokens() {
        #expect(throws: TokenizerError.missingSpecialToken("[UNK]", path: "vocabulary")) {
            try WordPieceTokenizer(vocabulary: ["[PAD]": 0])
        }
        #expect(throws: TokenizerError.vocabularyMissing(path: "/nowhere/vocab.txt")) {
            try WordPieceTokenizer(vocabularyFile: "/nowhere/vocab.txt")
        }
    }
}

@Suite("WordPiece against the reference tokenizer")
struct WordPieceReferenceTests {
    struct Case: Decodable {
        var text: String
        var ids: [Int32]
    }

    /// Fixtures/wordpiece-reference.json: Hugging Face `tokenizers` on the installed MiniLM
    /// vocabulary (scripts/generate-tokenizer-fixture.sh).
    @Test("token ids equal the reference's on tricky strings")
    func sameIDs() throws {
        let tokenizer = try WordPieceTokenizer(vocabularyFile: ModelFiles.require(ModelFiles.vocabulary))
        let url = try #require(Bundle.module.url(forResource: "wordpiece-reference", withExtension: "json", subdirectory: "Fixtures"))
        let cases = try JSONDecoder().decode([Case].self, from: Data(contentsOf: url))
        #expect(cases.count >= 30)
        for reference in cases {
            #expect(tokenizer.encode(reference.text, maxLength: 512) == reference.ids, "\(reference.text)")
        }
    }
}
