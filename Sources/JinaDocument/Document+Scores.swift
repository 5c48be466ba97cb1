/// Which end of a score is best when sorting matches.
public enum ScoreOrder: Sendable, Equatable {
    /// Highest first: similarities (docarray v2's `find` scores, e.g. cosine similarity).
    case descending
    /// Lowest first: distances (legacy docarray's `cosine`, `euclidean` scores).
    case ascending
}

extension Document {
    /// The score named `name` from the `scores` field, as a number. A score may be a bare number
    /// (`{"cosine": 0.9}`, docarray v2 `LegacyDocument`) or Jina's legacy named score
    /// (`{"cosine": {"value": 0.9}}`, as a dict or a nested document with a `value` field).
    /// Without a name, the first score in key order that is a number is used.
    public func score(_ name: String? = nil) -> Double? {
        guard let scores else { return nil }
        if let name { return scores[name].flatMap(Self.number) }
        for key in scores.keys.sorted() {
            if let value = Self.number(scores[key]!) { return value }
        }
        return nil
    }

    /// The number a score holds; NaN counts as no score, so sorting stays well-defined.
    private static func number(_ value: DocValue) -> Double? {
        let number: Double? = switch value.content {
        case .float(let number): number
        case .integer(let number): Double(number)
        case .dict(let entries): entries["value"]?.doubleValue
        case .doc(let document): document["value"]?.doubleValue
        default: nil
        }
        return number?.isNaN == true ? nil : number
    }

    /// Sorts `matches` by score (see `score(_:)`) in `order`, then keeps the first `topK`
    /// when given (a negative `topK` keeps none). The sort is stable; matches without that
    /// score keep their relative order after all scored ones. No `matches` field: no change.
    public mutating func sortMatches(byScore name: String? = nil, order: ScoreOrder = .descending, topK: Int? = nil) {
        guard var matches else { return }
        let keyed = matches.enumerated().map { (position: $0.offset, score: $0.element.score(name), doc: $0.element) }
        let sorted = keyed.sorted { a, b in
            switch (a.score, b.score) {
            case let (x?, y?) where x != y: return order == .descending ? x > y : x < y
            case (.some, nil): return true
            case (nil, .some): return false
            default: return a.position < b.position
            }
        }
        matches = sorted.map(\.doc)
        if let topK, matches.count > Swift.max(topK, 0) {
            matches = Array(matches.prefix(Swift.max(topK, 0)))
        }
        self.matches = matches
    }
}

extension Array where Element == Document {
    /// Sorts and cuts every document's matches (see `Document.sortMatches`), for shard reduce.
    public mutating func sortMatches(byScore name: String? = nil, order: ScoreOrder = .descending, topK: Int? = nil) {
        for index in indices {
            self[index].sortMatches(byScore: name, order: order, topK: topK)
        }
    }
}
