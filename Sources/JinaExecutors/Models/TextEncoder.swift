import JinaCore
import JinaModels
import JinaRuntime

/// Sentence embeddings for each document's `text` (issue #14, docs/models.md): BERT's WordPiece
/// tokenizer, then a BERT-family ONNX model on ONNX Runtime, mean pooling and L2 normalisation.
/// By default the installed all-MiniLM-L6-v2 (384 dimensions, `scripts/install-models.sh`).
/// Documents without text are left as they are.
public struct TextEncoder: Executor {
    public struct Configuration: Decodable, Sendable {
        public var model: String?
        public var vocabulary: String?
        public var runtime: String?
        public var output: String?
        public var pooling: String?
        public var normalize: Bool?
        public var max_length: Int?
        public var batch_size: Int?
        public var intra_op_threads: Int?
    }

    let embedder: TextEmbedder
    let batchSize: Int

    public init(configuration: Configuration, context: ExecutorContext) throws {
        let maxLength = configuration.max_length ?? 256
        guard maxLength >= 2 else { throw ExecutorError(.invalidInput, "TextEncoder: `max_length` must be at least 2, got \(maxLength)") }
        batchSize = try ModelSettings.batchSize(configuration.batch_size, executor: "TextEncoder")
        let pooling = try ModelSettings.pooling(configuration.pooling, default: .mean, executor: "TextEncoder")
        let tokenizer: WordPieceTokenizer
        do {
            tokenizer = try WordPieceTokenizer(vocabularyFile: configuration.vocabulary ?? ModelSettings.installed("minilm/vocab.txt"))
        } catch {
            throw ExecutorError(.runtime, "TextEncoder: \(error)")
        }
        let session = try ModelSettings.session(
            executor: "TextEncoder", model: configuration.model ?? ModelSettings.installed("minilm/model.onnx"),
            runtime: configuration.runtime, intraOpThreads: configuration.intra_op_threads)
        do {
            embedder = try TextEmbedder(session: session, tokenizer: tokenizer, maxLength: maxLength, pooling: pooling,
                                        normalize: configuration.normalize ?? true, output: configuration.output)
        } catch {
            throw ExecutorError(.invalidInput, "TextEncoder: \(error)")
        }
    }

    public var endpoints: [Endpoint] {
        Endpoint { documents, _ in
            let positions = documents.indices.filter { documents[$0].text != nil }
            let texts = positions.map { documents[$0].text! }
            let (embedder, batchSize) = (self.embedder, self.batchSize)
            let vectors = try await ModelSettings.offPool { () throws -> [[Float]] in
                var vectors: [[Float]] = []
                var start = 0
                while start < texts.count {
                    do {
                        vectors += try embedder.embed(Array(texts[start..<min(start + batchSize, texts.count)]))
                    } catch {
                        throw RequestError("TextEncoder: \(error)")
                    }
                    start += batchSize
                }
                return vectors
            }
            for (position, vector) in zip(positions, vectors) { documents[position].embedding = NDArray(floats: vector) }
        }
    }
}
