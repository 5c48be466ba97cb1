/// Why a tokenizer cannot be made.
public enum TokenizerError: Error, Equatable, CustomStringConvertible {
    case vocabularyMissing(path: String)
    case missingSpecialToken(String, path: String)

    public var description: String {
        switch self {
        case .vocabularyMissing(let path):
            "no vocabulary at \(path); run scripts/install-models.sh, or set uses_with.vocabulary"
        case .missingSpecialToken(let token, let path):
            "the vocabulary \(path) has no \(token) token; is it a BERT vocab.txt?"
        }
    }
}
