/// The `k` best (highest-scoring) rows seen so far: a bounded min-heap whose root is the worst
/// kept entry, so a candidate costs one comparison unless it belongs in the result.
struct TopK {
    private(set) var scores: [Float] = []
    private(set) var rows: [Int] = []
    let k: Int

    init(_ k: Int) {
        self.k = max(0, k)
        scores.reserveCapacity(self.k)
        rows.reserveCapacity(self.k)
    }

    /// The score a candidate must beat to enter (−∞ until `k` entries are kept; +∞ for k = 0).
    var threshold: Float {
        if k == 0 { return .infinity }
        return scores.count < k ? -.infinity : scores[0]
    }

    mutating func offer(_ score: Float, row: Int) {
        guard k > 0 else { return }
        if scores.count < k {
            scores.append(score)
            rows.append(row)
            siftUp(scores.count - 1)
        } else if score > scores[0] {
            scores[0] = score
            rows[0] = row
            siftDown(0)
        }
    }

    /// The kept entries, best first (ties: lower row first, for a stable order).
    func sorted() -> [(row: Int, score: Float)] {
        zip(rows, scores).map { (row: $0, score: $1) }
            .sorted { $0.score != $1.score ? $0.score > $1.score : $0.row < $1.row }
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard less(child, parent) else { return }
            swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < scores.count, less(left, smallest) { smallest = left }
            if right < scores.count, less(right, smallest) { smallest = right }
            guard smallest != parent else { return }
            swapAt(parent, smallest)
            parent = smallest
        }
    }

    /// Heap order: lower score first; among equal scores the higher row is "worse".
    private func less(_ a: Int, _ b: Int) -> Bool {
        scores[a] != scores[b] ? scores[a] < scores[b] : rows[a] > rows[b]
    }

    private mutating func swapAt(_ a: Int, _ b: Int) {
        scores.swapAt(a, b)
        rows.swapAt(a, b)
    }
}
