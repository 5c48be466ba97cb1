/// Suggests the closest known word for a misspelt one (Levenshtein distance).
public enum DidYouMean {
    /// The candidate closest to `word`, if it is close enough to be a likely typo: at most a
    /// third of the word's length away (at least 1, at most 3); a match ignoring case always
    /// counts. Ties go to the earlier candidate.
    public static func suggestion(for word: String, among candidates: [String]) -> String? {
        let lowered = word.lowercased()
        if let sameIgnoringCase = candidates.first(where: { $0.lowercased() == lowered }) {
            return sameIgnoringCase
        }
        let limit = min(3, max(1, word.count / 3))
        var best: (word: String, distance: Int)?
        for candidate in candidates {
            let distance = levenshtein(lowered, candidate.lowercased())
            if distance <= limit, distance < (best?.distance ?? .max) {
                best = (candidate, distance)
            }
        }
        return best?.word
    }

    /// `did you mean `x`?` for the closest candidate, or nil.
    static func hint(for word: String, among candidates: [String]) -> String? {
        suggestion(for: word, among: candidates).map { "did you mean `\($0)`?" }
    }

    /// Edit distance: insertions, deletions and substitutions of characters.
    static func levenshtein(_ lhs: String, _ rhs: String) -> Int {
        let a = Array(lhs), b = Array(rhs)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
