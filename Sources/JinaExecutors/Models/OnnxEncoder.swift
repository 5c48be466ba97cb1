import JinaCore
import JinaModels
import JinaRuntime

/// Any ONNX model as an encoder (issue #14, docs/models.md): each document's `tensor` (float32
/// or float64, the model's input shape without the batch dimension) goes through the model in
/// batches; the chosen output, pooled and optionally L2-normalised, becomes the document's
/// `embedding`. Documents without a tensor are left as they are.
public struct OnnxEncoder: Executor {
    public struct Configuration: Decodable, Sendable {
        public var model: String?
        public var runtime: String?
        public var input: String?
        public var output: String?
        public var pooling: String?
        public var normalize: Bool?
        public var batch_size: Int?
        public var intra_op_threads: Int?
    }

    let embedder: TensorEmbedder
    let batchSize: Int

    public init(configuration: Configuration, context: ExecutorContext) throws {
        guard let model = configuration.model else {
            throw ExecutorError(.invalidInput, "OnnxEncoder needs `model`, the path of an .onnx file",
                                hint: "set it in uses_with, e.g. `uses_with: {model: models/encoder.onnx}`")
        }
        batchSize = try ModelSettings.batchSize(configuration.batch_size, executor: "OnnxEncoder")
        let pooling = try ModelSettings.pooling(configuration.pooling, default: .none, executor: "OnnxEncoder")
        let session = try ModelSettings.session(executor: "OnnxEncoder", model: model, runtime: configuration.runtime,
                                                intraOpThreads: configuration.intra_op_threads)
        do {
            embedder = try TensorEmbedder(session: session, input: configuration.input, output: configuration.output,
                                          pooling: pooling, normalize: configuration.normalize ?? false)
        } catch {
            throw ExecutorError(.invalidInput, "OnnxEncoder: \(error)")
        }
    }

    public var endpoints: [Endpoint] {
        Endpoint { documents, _ in
            let (embedder, batchSize, given) = (self.embedder, self.batchSize, documents)
            documents = try await ModelSettings.offPool {
                var documents = given
                try Self.encode(&documents, embedder: embedder, batchSize: batchSize) { _, document in
                    guard let tensor = document.tensor else { return nil }
                    guard let values = tensor.floats() ?? tensor.doubles()?.map(Float.init) else {
                        throw RequestError("OnnxEncoder: document \(document.id ?? "?"): its tensor has dtype \(tensor.dtype); use float32 or float64")
                    }
                    return (values, tensor.shape)
                }
                return documents
            }
        }
    }

    /// Runs `embedder` over the documents `row` gives a row for, `batchSize` at a time (rows of
    /// one batch share a shape; a row that does not fit the model fails the request naming its
    /// document), and stores each embedding.
    static func encode(_ documents: inout [Document], embedder: TensorEmbedder, batchSize: Int,
                       row: (Int, Document) throws -> (values: [Float], shape: [Int])?) throws {
        var pending: [(position: Int, values: [Float])] = []
        var pendingShape: [Int] = []
        func flush(_ documents: inout [Document]) throws {
            guard !pending.isEmpty else { return }
            let vectors: [[Float]]
            do {
                vectors = try embedder.embed(pending.map(\.values), shape: pendingShape)
            } catch {
                throw RequestError("the model failed on documents \(pending.map { documents[$0.position].id ?? "?" }.prefix(5).joined(separator: ", ")): \(error)")
            }
            for (entry, vector) in zip(pending, vectors) { documents[entry.position].embedding = NDArray(floats: vector) }
            pending = []
        }
        for position in documents.indices {
            guard let (values, shape) = try row(position, documents[position]) else { continue }
            guard embedder.accepts(shape) else {
                throw RequestError("document \(documents[position].id ?? "?"): input of shape \(shape) does not fit the model's `\(embedder.input.name)` of shape \(embedder.input.shape) (without the batch dimension: \(embedder.rowShape))")
            }
            if !pending.isEmpty, shape != pendingShape || pending.count == batchSize { try flush(&documents) }
            pendingShape = shape
            pending.append((position, values))
        }
        try flush(&documents)
    }
}
