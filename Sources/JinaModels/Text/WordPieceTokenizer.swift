import Foundation

/// BERT's tokenizer: text to the token ids an uncased BERT-family model (all-MiniLM-L6-v2 and
/// friends) was trained on. First the basic pass (drop control characters, spaces around CJK
/// ideographs, lower-case, strip accents, split on whitespace and punctuation), then WordPiece
/// (each word as the longest vocabulary pieces from its start, later pieces spelled `##…`; a
/// word with no such split, or longer than 100 characters, is `[UNK]`), then `[CLS] … [SEP]`.
public struct WordPieceTokenizer: Sendable {
    public let vocabulary: [String: Int32]
    public let unknown: Int32
    public let classToken: Int32
    public let separator: Int32
    public let padding: Int32
    public var lowercase = true
    static let maxWordCharacters = 100
    /// The longest vocabulary piece, in Unicode scalars (without a `##`): longer candidates are
    /// never looked up.
    let longestPiece: Int

    /// Reads `vocab.txt`: one token a line, its id the line number from 0.
    public init(vocabularyFile path: String) throws(TokenizerError) {
        guard let data = FileManager.default.contents(atPath: path) else { throw .vocabularyMissing(path: path) }
        var vocabulary: [String: Int32] = [:]
        for (line, token) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let token = token.hasSuffix("\r") ? token.dropLast() : token
            if !token.isEmpty, vocabulary[String(token)] == nil { vocabulary[String(token)] = Int32(line) }
        }
        try self.init(vocabulary: vocabulary, path: path)
    }

    public init(vocabulary: [String: Int32], path: String = "vocabulary") throws(TokenizerError) {
        self.vocabulary = vocabulary
        longestPiece = vocabulary.keys.map { ($0.hasPrefix("##") ? $0.dropFirst(2) : Substring($0)).unicodeScalars.count }.max() ?? 1
        func id(_ token: String) throws(TokenizerError) -> Int32 {
            guard let id = vocabulary[token] else { throw .missingSpecialToken(token, path: path) }
            return id
        }
        unknown = try id("[UNK]")
        classToken = try id("[CLS]")
        separator = try id("[SEP]")
        padding = try id("[PAD]")
    }

    /// The ids of `text` with `[CLS]` first and `[SEP]` last, at most `maxLength` in all (the
    /// text's tokens are cut to fit).
    public func encode(_ text: String, maxLength: Int = 256) -> [Int32] {
        let pieces = tokens(text).prefix(max(0, maxLength - 2))
        return [classToken] + pieces + [separator]
    }

    /// The WordPiece ids of `text`, without special tokens.
    public func tokens(_ text: String) -> [Int32] {
        var ids: [Int32] = []
        for word in basicTokens(text) { wordPiece(word, into: &ids) }
        return ids
    }

    /// The basic pass: words and punctuation marks, cleaned, lower-cased and without accents.
    public func basicTokens(_ text: String) -> [String] {
        if lowercase, text.utf8.allSatisfy({ $0 < 0x80 }) { return Self.asciiTokens(text) }
        return unicodeTokens(text)
    }

    /// The basic pass for any text.
    func unicodeTokens(_ text: String) -> [String] {
        var cleaned = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.value == 0 || scalar.value == 0xFFFD || Self.isControl(scalar) { continue }
            if Self.isWhitespace(scalar) {
                cleaned.append(" ")
            } else if Self.isCJK(scalar) {
                cleaned.append(" ")
                cleaned.append(scalar)
                cleaned.append(" ")
            } else {
                cleaned.append(scalar)
            }
        }
        var words: [String] = []
        for chunk in String(cleaned).split(separator: " ") {
            var word = String(chunk)
            if lowercase {
                word = word.lowercased().decomposedStringWithCanonicalMapping
                word.unicodeScalars.removeAll { $0.properties.generalCategory == .nonspacingMark }
            }
            var current = String.UnicodeScalarView()
            for scalar in word.unicodeScalars {
                if Self.isPunctuation(scalar) {
                    if !current.isEmpty { words.append(String(current)) }
                    current = String.UnicodeScalarView()
                    words.append(String(scalar))
                } else {
                    current.append(scalar)
                }
            }
            if !current.isEmpty { words.append(String(current)) }
        }
        return words
    }

    /// The basic pass for ASCII text, byte by byte: the same tokens as the general pass (ASCII has
    /// no accents and no CJK, and its lower case is one byte), without its string conversions.
    static func asciiTokens(_ text: String) -> [String] {
        var words: [String] = []
        var current: [UInt8] = []
        func flush() {
            if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
            current.removeAll(keepingCapacity: true)
        }
        for byte in text.utf8 {
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D:
                flush()
            case 0x00..<0x20, 0x7F:
                continue  // control characters are dropped
            case 33...47, 58...64, 91...96, 123...126:
                flush()
                words.append(String(UnicodeScalar(byte)))
            case 0x41...0x5A:
                current.append(byte + 0x20)
            default:
                current.append(byte)
            }
        }
        flush()
        return words
    }

    private func wordPiece(_ word: String, into ids: inout [Int32]) {
        let characters = Array(word.unicodeScalars)
        guard characters.count <= Self.maxWordCharacters else {
            ids.append(unknown)
            return
        }
        var pieces: [Int32] = []
        var start = 0
        while start < characters.count {
            var end = min(characters.count, start + longestPiece)
            var found: Int32?
            while start < end {
                var piece = String(String.UnicodeScalarView(characters[start..<end]))
                if start > 0 { piece = "##" + piece }
                if let id = vocabulary[piece] {
                    found = id
                    break
                }
                end -= 1
            }
            guard let found else {
                ids.append(unknown)
                return
            }
            pieces.append(found)
            start = end
        }
        ids += pieces
    }

    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar.properties.generalCategory == .spaceSeparator
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "\t" || scalar == "\n" || scalar == "\r" { return false }
        switch scalar.properties.generalCategory {
        case .control, .format, .privateUse, .surrogate, .unassigned: return true
        default: return false
        }
    }

    /// ASCII symbols count as punctuation (as BERT has it), and every Unicode P* category.
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if (33...47).contains(value) || (58...64).contains(value) || (91...96).contains(value) || (123...126).contains(value) {
            return true
        }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// CJK Unified Ideographs and their extensions (not Japanese kana or Korean hangul).
    static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F, 0x2B740...0x2B81F,
             0x2B820...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }
}
