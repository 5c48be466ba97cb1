/// How a model's output becomes one vector per input row.
public enum Pooling: String, Sendable, CaseIterable {
    /// The output already has one vector per row (`[batch, d]`; more dimensions are flattened).
    case none
    /// The mean over the sequence axis (`[batch, sequence, d]`), counting only positions the
    /// attention mask keeps when there is one.
    case mean
    /// The first position of the sequence (`[batch, sequence, d]`): BERT's `[CLS]`.
    case cls

    /// One vector per row of `output`; `mask` (`[batch, sequence]`, 1 = keep) for `mean`.
    public func pool(_ output: Tensor, mask: [Int64]? = nil) throws(ONNXError) -> [[Float]] {
        let values = output.floats
        guard let batch = output.shape.first, batch > 0 else { return [] }
        let perRow = values.count / batch
        switch self {
        case .none:
            return (0..<batch).map { Array(values[$0 * perRow..<($0 + 1) * perRow]) }
        case .mean, .cls:
            guard output.shape.count == 3 else {
                throw .badInput("pooling `\(rawValue)` needs an output of shape [batch, sequence, dim]; the model's is \(output.shape)")
            }
            let sequence = output.shape[1], width = output.shape[2]
            if self == .cls {
                return (0..<batch).map { row in Array(values[row * perRow..<(row * perRow + width)]) }
            }
            if let mask, mask.count != batch * sequence {
                throw .badInput("the attention mask has \(mask.count) values for an output of shape \(output.shape)")
            }
            return (0..<batch).map { row in
                var sum = [Float](repeating: 0, count: width)
                var kept: Float = 0
                for position in 0..<sequence {
                    let weight: Float = mask.map { $0[row * sequence + position] != 0 ? 1 : 0 } ?? 1
                    guard weight > 0 else { continue }
                    kept += weight
                    let start = row * perRow + position * width
                    for index in 0..<width { sum[index] += values[start + index] }
                }
                let divisor = max(kept, 1e-9)
                return sum.map { $0 / divisor }
            }
        }
    }
}

/// `vector` scaled to length 1 (an all-zero vector stays as it is).
public func l2Normalised(_ vector: [Float]) -> [Float] {
    let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
    return norm > 0 ? vector.map { $0 / norm } : vector
}
