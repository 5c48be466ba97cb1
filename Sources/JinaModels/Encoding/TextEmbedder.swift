/// Sentence embeddings from a BERT-family ONNX model: `WordPieceTokenizer` ids padded into a
/// batch (`input_ids`, `attention_mask`, `token_type_ids`, whichever the model takes), the
/// model's output pooled (mean over the kept tokens by default, as sentence-transformers does)
/// and, by default, L2-normalised.
public struct TextEmbedder: Sendable {
    public let session: ONNXSession
    public let tokenizer: WordPieceTokenizer
    public var maxLength: Int
    public var pooling: Pooling
    public var normalize: Bool
    public let output: String

    static let knownInputs: Set<String> = ["input_ids", "attention_mask", "token_type_ids"]

    public init(session: ONNXSession, tokenizer: WordPieceTokenizer, maxLength: Int = 256, pooling: Pooling = .mean,
                normalize: Bool = true, output: String? = nil) throws(ONNXError) {
        for input in session.inputs where !Self.knownInputs.contains(input.name) || !input.isInt64 {
            throw .badInput("\(session.modelPath) takes input `\(input.name)`; a text model takes int64 input_ids, attention_mask and token_type_ids")
        }
        guard session.inputs.contains(where: { $0.name == "input_ids" }) else {
            throw .badInput("\(session.modelPath) has no input `input_ids`; is it a BERT-family text model?")
        }
        let chosen = output ?? session.outputs.first?.name ?? ""
        guard session.outputs.contains(where: { $0.name == chosen }) else {
            throw .badInput("\(session.modelPath) has no output `\(chosen)`; its outputs: \(session.outputs.map(\.name))")
        }
        self.session = session
        self.tokenizer = tokenizer
        self.maxLength = maxLength
        self.pooling = pooling
        self.normalize = normalize
        self.output = chosen
    }

    /// The model's input tensors for `texts`: ids padded to the longest, the mask, zero types.
    public func feeds(_ texts: [String]) -> (feeds: [String: Tensor], mask: [Int64]) {
        let encoded = texts.map { tokenizer.encode($0, maxLength: maxLength) }
        let width = encoded.map(\.count).max() ?? 0
        var ids: [Int64] = [], mask: [Int64] = []
        ids.reserveCapacity(texts.count * width)
        mask.reserveCapacity(texts.count * width)
        for row in encoded {
            ids += row.map(Int64.init)
            ids += repeatElement(Int64(tokenizer.padding), count: width - row.count)
            mask += repeatElement(Int64(1), count: row.count)
            mask += repeatElement(Int64(0), count: width - row.count)
        }
        let shape = [texts.count, width]
        var feeds: [String: Tensor] = [:]
        for input in session.inputs {
            switch input.name {
            case "input_ids": feeds[input.name] = Tensor(shape: shape, int64s: ids)
            case "attention_mask": feeds[input.name] = Tensor(shape: shape, int64s: mask)
            default: feeds[input.name] = Tensor(shape: shape, int64s: [Int64](repeating: 0, count: ids.count))
            }
        }
        return (feeds, mask)
    }

    /// One embedding per text, in order.
    public func embed(_ texts: [String]) throws(ONNXError) -> [[Float]] {
        guard !texts.isEmpty else { return [] }
        let (feeds, mask) = feeds(texts)
        let result = try session.run(feeds, outputs: [output])
        let pooled = try pooling.pool(result[output]!, mask: mask)
        return normalize ? pooled.map(l2Normalised) : pooled
    }
}
