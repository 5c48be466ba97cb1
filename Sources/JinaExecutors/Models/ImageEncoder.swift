import JinaCore
import JinaModels
import JinaRuntime

/// Image embeddings (issue #14, docs/models.md): each document's image — `bytes_`/`blob`, a
/// `url` (a `data:` URI, or a file under `allowed_paths`), or a `tensor` (an RGB image, height ×
/// width × 3, values 0–255) — decoded (JPEG, PNG, WebP), resized, cropped and normalised as
/// configured, then run through an ONNX model; the output, pooled and L2-normalised, becomes its
/// `embedding`. By default the installed ResNet-50 (open_nsfw's, 1024-wide pooled layer).
///
/// A document whose image cannot be read fails the request, naming it and why; with
/// `parameters.skip_failed: true` it is skipped instead and tagged `image_error` with the reason.
/// Documents with no image at all are left as they are.
public struct ImageEncoder: Executor {
    public struct Configuration: Decodable, Sendable {
        public var model: String?
        public var runtime: String?
        public var input: String?
        public var output: String?
        public var pooling: String?
        public var normalize: Bool?
        public var resize: [Int]?
        public var resize_mode: String?
        public var crop: [Int]?
        public var channel_order: String?
        public var scale: Float?
        public var mean: [Float]?
        public var std: [Float]?
        public var layout: String?
        public var allowed_paths: [String]?
        public var max_pixels: Int?
        public var batch_size: Int?
        public var intra_op_threads: Int?

        enum CodingKeys: String, CodingKey {
            case model, runtime, input, output, pooling, normalize, resize, resize_mode, crop, channel_order, scale, mean, std
            case layout, allowed_paths, max_pixels, batch_size, intra_op_threads
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            model = try container.decodeIfPresent(String.self, forKey: .model)
            runtime = try container.decodeIfPresent(String.self, forKey: .runtime)
            input = try container.decodeIfPresent(String.self, forKey: .input)
            output = try container.decodeIfPresent(String.self, forKey: .output)
            pooling = try container.decodeIfPresent(String.self, forKey: .pooling)
            normalize = try container.decodeIfPresent(Bool.self, forKey: .normalize)
            resize = try Self.size(container, .resize)
            resize_mode = try container.decodeIfPresent(String.self, forKey: .resize_mode)
            crop = try Self.size(container, .crop)
            channel_order = try container.decodeIfPresent(String.self, forKey: .channel_order)
            scale = try container.decodeIfPresent(Float.self, forKey: .scale)
            mean = try container.decodeIfPresent([Float].self, forKey: .mean)
            std = try container.decodeIfPresent([Float].self, forKey: .std)
            layout = try container.decodeIfPresent(String.self, forKey: .layout)
            if let one = try? container.decodeIfPresent(String.self, forKey: .allowed_paths) {
                allowed_paths = [one]
            } else {
                allowed_paths = try container.decodeIfPresent([String].self, forKey: .allowed_paths)
            }
            max_pixels = try container.decodeIfPresent(Int.self, forKey: .max_pixels)
            batch_size = try container.decodeIfPresent(Int.self, forKey: .batch_size)
            intra_op_threads = try container.decodeIfPresent(Int.self, forKey: .intra_op_threads)
        }

        /// A size is one number (square) or `[width, height]`.
        private static func size(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> [Int]? {
            if let one = try? container.decodeIfPresent(Int.self, forKey: key) { return [one, one] }
            return try container.decodeIfPresent([Int].self, forKey: key)
        }
    }

    let embedder: TensorEmbedder
    let preprocessing: ImagePreprocessing
    let decoder: ImageDecoder
    let source: ImageSource
    let batchSize: Int

    public init(configuration: Configuration, context: ExecutorContext) throws {
        func invalid(_ message: String) -> ExecutorError { ExecutorError(.invalidInput, "ImageEncoder: \(message)") }
        func size(_ value: [Int]?, _ name: String, default fallback: (Int, Int)?) throws -> (width: Int, height: Int)? {
            guard let value else { return fallback.map { (width: $0.0, height: $0.1) } }
            guard value.count == 2 else { throw invalid("`\(name)` is one number or [width, height], got \(value)") }
            return (value[0], value[1])
        }
        guard let mode = ImagePreprocessing.ResizeMode(rawValue: configuration.resize_mode ?? "squash") else {
            throw invalid("unknown resize_mode `\(configuration.resize_mode ?? "")`; use squash or shorter_side")
        }
        guard let layout = ImagePreprocessing.Layout(rawValue: configuration.layout ?? "nhwc") else {
            throw invalid("unknown layout `\(configuration.layout ?? "")`; use nhwc or nchw")
        }
        let order = configuration.channel_order ?? "bgr"
        guard order == "rgb" || order == "bgr" else { throw invalid("unknown channel_order `\(order)`; use rgb or bgr") }
        do {
            preprocessing = try ImagePreprocessing(
                resize: size(configuration.resize, "resize", default: (256, 256)), resizeMode: mode,
                crop: size(configuration.crop, "crop", default: (224, 224)), bgr: order == "bgr",
                scale: configuration.scale ?? 1, mean: configuration.mean ?? [104, 117, 123],
                std: configuration.std ?? [1, 1, 1], layout: layout
            ).validated()
        } catch let error as ImageError {
            throw invalid(error.description)
        }
        let maxPixels = configuration.max_pixels ?? 50_000_000
        guard maxPixels > 0 else { throw invalid("`max_pixels` must be positive, got \(maxPixels)") }
        decoder = ImageDecoder(maxPixels: maxPixels)
        if !ImageDecoder.usesTurboJPEG {
            context.logger.warning("ImageEncoder: libjpeg-turbo is not installed, so JPEG images will be refused; install it with `apt-get install libturbojpeg0` (scripts/install-system-deps.sh does)")
        }
        source = ImageSource(allowedPaths: configuration.allowed_paths ?? [])
        batchSize = try ModelSettings.batchSize(configuration.batch_size, executor: "ImageEncoder")
        let pooling = try ModelSettings.pooling(configuration.pooling, default: .none, executor: "ImageEncoder")
        let bundled = configuration.model == nil
        let session = try ModelSettings.session(
            executor: "ImageEncoder", model: configuration.model ?? ModelSettings.installed("resnet50/model.onnx"),
            runtime: configuration.runtime, intraOpThreads: configuration.intra_op_threads)
        do {
            embedder = try TensorEmbedder(session: session, input: configuration.input,
                                          output: configuration.output ?? (bundled ? "Reshape:0" : nil),
                                          pooling: pooling, normalize: configuration.normalize ?? true)
        } catch {
            throw invalid(error.description)
        }
    }

    public var endpoints: [Endpoint] {
        Endpoint { documents, parameters in
            let skipFailed = parameters["skip_failed"]?.boolValue ?? false
            let (encoder, given) = (self, documents)
            documents = try await ModelSettings.offPool { try encoder.encode(given, skipFailed: skipFailed) }
        }
    }

    /// Embeds the images of `documents` (on the caller's thread: this runs the model). Images are
    /// decoded and prepared one by one, then written straight into the batch the model reads.
    func encode(_ documents: [Document], skipFailed: Bool) throws -> [Document] {
        var documents = documents
        var failed: [Int: String] = [:]
        var pending: [(position: Int, image: DecodedImage)] = []
        var pendingShape: [Int] = []
        for position in documents.indices {
            let id = documents[position].id ?? "?"
            let document = documents[position]
            let outcome = Result { () throws(ImageError) -> DecodedImage? in
                try image(of: document).map { (image) throws(ImageError) in try preprocessing.prepare(image) }
            }
            let prepared: DecodedImage
            switch outcome {
            case .success(nil):
                continue
            case .success(let image?):
                prepared = image
            case .failure(let error):
                guard skipFailed else { throw RequestError("ImageEncoder: document \(id): \(error)") }
                failed[position] = error.description
                continue
            }
            let shape = preprocessing.shape(of: prepared)
            guard embedder.accepts(shape) else {
                throw RequestError("ImageEncoder: document \(id): the prepared image has shape \(shape); the model's `\(embedder.input.name)` takes \(embedder.rowShape) (check resize and crop)")
            }
            if !pending.isEmpty, shape != pendingShape || pending.count == batchSize {
                try run(pending, shape: pendingShape, into: &documents)
                pending = []
            }
            pendingShape = shape
            pending.append((position, prepared))
        }
        if !pending.isEmpty { try run(pending, shape: pendingShape, into: &documents) }
        for (position, reason) in failed {
            var tags = documents[position].tags ?? [:]
            tags["image_error"] = .text(reason)
            documents[position].tags = tags
        }
        return documents
    }

    /// Writes the prepared images of `pending` straight into one batch, runs the model, and stores
    /// each embedding in its document.
    private func run(_ pending: [(position: Int, image: DecodedImage)], shape: [Int], into documents: inout [Document]) throws {
        let width = shape.reduce(1, *)
        let batch = [Float](unsafeUninitializedCapacity: pending.count * width) { buffer, initialized in
            for (row, entry) in pending.enumerated() {
                preprocessing.write(entry.image, into: UnsafeMutableBufferPointer(rebasing: buffer[(row * width)..<((row + 1) * width)]))
            }
            initialized = pending.count * width
        }
        let vectors: [[Float]]
        do {
            vectors = try embedder.embed(batch: batch, rows: pending.count, shape: shape)
        } catch {
            let ids = pending.map { documents[$0.position].id ?? "?" }.prefix(5).joined(separator: ", ")
            throw RequestError("ImageEncoder: the model failed on documents \(ids): \(error)")
        }
        for (entry, vector) in zip(pending, vectors) { documents[entry.position].embedding = NDArray(floats: vector) }
    }

    /// The image a document carries: its bytes, its url, or its tensor (nil when none).
    func image(of document: Document) throws(ImageError) -> DecodedImage? {
        let size = preprocessing.minimumDecodedSize
        if let bytes = document.bytes { return try decoder.decode(bytes, atLeast: size) }
        if let url = document.url, !url.isEmpty { return try decoder.decode(source.bytes(url: url), atLeast: size) }
        guard let tensor = document.tensor else { return nil }
        guard tensor.shape.count == 3, tensor.shape[2] == 3 || tensor.shape[2] == 1, tensor.shape[0] > 0, tensor.shape[1] > 0 else {
            throw .badSettings("the tensor has shape \(tensor.shape); an image tensor is [height, width, 3] (or 1 channel)")
        }
        let values: [Double] = tensor.doubles() ?? tensor.floats()?.map(Double.init) ?? tensor.ints()?.map(Double.init) ?? []
        guard values.count == tensor.count else { throw .badSettings("the tensor's dtype \(tensor.dtype) is not numeric") }
        let channels = tensor.shape[2]
        var pixels = [UInt8](repeating: 0, count: tensor.shape[0] * tensor.shape[1] * 3)
        for pixel in 0..<(tensor.shape[0] * tensor.shape[1]) {
            for channel in 0..<3 {
                let value = values[pixel * channels + (channels == 1 ? 0 : channel)]
                pixels[pixel * 3 + channel] = UInt8(max(0, min(255, value.rounded())))
            }
        }
        return DecodedImage(width: tensor.shape[1], height: tensor.shape[0], pixels: pixels)
    }
}
