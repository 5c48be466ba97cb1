/// Embeddings from any ONNX model with one float input: rows of the same shape stacked into a
/// batch, the chosen output pooled and, if asked, L2-normalised. `OnnxEncoder` feeds it each
/// document's `tensor`; `ImageEncoder` feeds it preprocessed pixels.
public struct TensorEmbedder: Sendable {
    public let session: ONNXSession
    public let input: ONNXSession.TensorInfo
    public let output: String
    public var pooling: Pooling
    public var normalize: Bool

    public init(session: ONNXSession, input: String? = nil, output: String? = nil, pooling: Pooling = .none,
                normalize: Bool = false) throws(ONNXError) {
        let inputName = input ?? session.inputs.first?.name ?? ""
        guard let described = session.inputs.first(where: { $0.name == inputName }) else {
            throw .badInput("\(session.modelPath) has no input `\(inputName)`; its inputs: \(session.inputs.map(\.name))")
        }
        guard described.isFloat else {
            throw .badInput("\(session.modelPath): input `\(inputName)` is not float32 (element type \(described.elementType.map(String.init) ?? "none"))")
        }
        let others = session.inputs.filter { $0.name != inputName }
        guard others.isEmpty else {
            throw .badInput("\(session.modelPath) also needs inputs \(others.map(\.name)); this encoder feeds one input")
        }
        let outputName = output ?? session.outputs.first?.name ?? ""
        guard session.outputs.contains(where: { $0.name == outputName }) else {
            throw .badInput("\(session.modelPath) has no output `\(outputName)`; its outputs: \(session.outputs.map(\.name))")
        }
        self.session = session
        self.input = described
        self.output = outputName
        self.pooling = pooling
        self.normalize = normalize
    }

    /// The shape one row must have: the model's input shape without its batch dimension (-1
    /// where the model leaves a dimension open).
    public var rowShape: [Int] { Array(input.shape.dropFirst()) }

    /// Whether `shape` fits `rowShape`.
    public func accepts(_ shape: [Int]) -> Bool {
        shape.count == rowShape.count && zip(shape, rowShape).allSatisfy { $1 < 0 || $0 == $1 }
    }

    /// One embedding per row; every row has `shape` (which `accepts`).
    public func embed(_ rows: [[Float]], shape: [Int]) throws(ONNXError) -> [[Float]] {
        guard !rows.isEmpty else { return [] }
        guard accepts(shape) else {
            throw .badInput("a row of shape \(shape) does not fit input `\(input.name)` of shape \(input.shape)")
        }
        let width = shape.reduce(1, *)
        var flat: [Float] = []
        flat.reserveCapacity(rows.count * width)
        for row in rows {
            guard row.count == width else { throw .badInput("a row has \(row.count) values; shape \(shape) needs \(width)") }
            flat += row
        }
        return try embed(batch: flat, rows: rows.count, shape: shape)
    }

    /// One embedding per row of `batch`: `rows` rows of `shape`, one after the other (a batch
    /// filled in place, with no copy per row).
    public func embed(batch: [Float], rows: Int, shape: [Int]) throws(ONNXError) -> [[Float]] {
        guard rows > 0 else { return [] }
        guard accepts(shape) else {
            throw .badInput("a row of shape \(shape) does not fit input `\(input.name)` of shape \(input.shape)")
        }
        guard batch.count == rows * shape.reduce(1, *) else {
            throw .badInput("a batch of \(batch.count) values is not \(rows) rows of shape \(shape)")
        }
        let result = try session.run([input.name: Tensor(shape: [rows] + shape, floats: batch)], outputs: [output])
        let pooled = try pooling.pool(result[output]!)
        return normalize ? pooled.map(l2Normalised) : pooled
    }
}
