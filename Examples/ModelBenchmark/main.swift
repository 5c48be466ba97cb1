// `model-benchmark`: TextEncoder's and ImageEncoder's pipelines in process (issue #14's encoder
// benchmark; benchmarks/models/run.sh runs it next to the same models in Python). For batch
// sizes 1 and 32: items/s, and the time per item outside the model (tokenising, decoding,
// resizing, batching, pooling, copies) apart from the time inside `session.run`. Prints one
// `FIGURE` line per measurement. Not a test.
//   model-benchmark DATA_DIR          DATA_DIR/texts.txt (one a line), DATA_DIR/images/*.jpg
import Foundation
import JinaModels

let folder = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : ".bench/model-data"
let clock = ContinuousClock()
func seconds(_ duration: Duration) -> Double { Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18 }

let runtime = try ONNXRuntime.load(path: ONNXRuntime.libraryPath(configured: nil))
let models = ONNXRuntime.modelsFolder

// Texts.
let texts = try String(contentsOfFile: folder + "/texts.txt", encoding: .utf8).split(separator: "\n").map(String.init)
let tokenizer = try WordPieceTokenizer(vocabularyFile: models + "/minilm/vocab.txt")
let textSession = try ONNXSession(runtime: runtime, modelPath: models + "/minilm/model.onnx", intraOpThreads: 1)
let textEmbedder = try TextEmbedder(session: textSession, tokenizer: tokenizer)
for batch in [1, 32] {
    _ = try textEmbedder.embed(Array(texts.prefix(batch)))  // warm up
    var outside = 0.0, inside = 0.0, items = 0
    var start = 0
    while start + batch <= texts.count {
        let chunk = Array(texts[start..<(start + batch)])
        var prepared: (feeds: [String: Tensor], mask: [Int64])!
        outside += seconds(clock.measure { prepared = textEmbedder.feeds(chunk) })
        var result: [String: Tensor]!
        inside += seconds(clock.measure { result = try! textSession.run(prepared.feeds, outputs: [textEmbedder.output]) })
        outside += seconds(clock.measure { _ = try! Pooling.mean.pool(result[textEmbedder.output]!, mask: prepared.mask).map(l2Normalised) })
        items += batch
        start += batch
    }
    print("FIGURE swift_text batch=\(batch) items_per_s=\(String(format: "%.1f", Double(items) / (outside + inside))) outside_ms_per_item=\(String(format: "%.3f", outside * 1000 / Double(items))) model_ms_per_item=\(String(format: "%.3f", inside * 1000 / Double(items)))")
}

// Images.
let imageFiles = try FileManager.default.contentsOfDirectory(atPath: folder + "/images").filter { $0.hasSuffix(".jpg") }.sorted()
let images = imageFiles.map { [UInt8](FileManager.default.contents(atPath: folder + "/images/" + $0)!) }
let imageSession = try ONNXSession(runtime: runtime, modelPath: models + "/resnet50/model.onnx", intraOpThreads: 1)
let imageEmbedder = try TensorEmbedder(session: imageSession, output: "Reshape:0", normalize: true)
let decoder = ImageDecoder()
print("NOTE turbojpeg=\(ImageDecoder.usesTurboJPEG)")
let preprocessing = ImagePreprocessing()
for batch in [1, 32] {
    var outside = 0.0, inside = 0.0, items = 0
    var start = 0
    var warmed = false
    while start + batch <= images.count {
        var batchValues: [Float] = []
        var shape: [Int] = []
        outside += seconds(clock.measure {
            // As ImageEncoder does: each image prepared, then written straight into the batch.
            let prepared = images[start..<(start + batch)].map { bytes in
                try! preprocessing.prepare(decoder.decode(bytes, atLeast: preprocessing.minimumDecodedSize))
            }
            shape = preprocessing.shape(of: prepared[0])
            let width = shape.reduce(1, *)
            batchValues = [Float](unsafeUninitializedCapacity: batch * width) { buffer, initialized in
                for (row, image) in prepared.enumerated() {
                    preprocessing.write(image, into: UnsafeMutableBufferPointer(rebasing: buffer[(row * width)..<((row + 1) * width)]))
                }
                initialized = batch * width
            }
        })
        let flat = batchValues
        var result: [String: Tensor]!
        let run = clock.measure {
            result = try! imageSession.run([imageEmbedder.input.name: Tensor(shape: [batch] + shape, floats: flat)], outputs: ["Reshape:0"])
        }
        outside += seconds(clock.measure { _ = try! Pooling.none.pool(result["Reshape:0"]!).map(l2Normalised) })
        if warmed { inside += seconds(run); items += batch } else { warmed = true; outside = 0 }
        start += batch
    }
    print("FIGURE swift_image batch=\(batch) items_per_s=\(String(format: "%.1f", Double(items) / (outside + inside))) outside_ms_per_item=\(String(format: "%.3f", outside * 1000 / Double(items))) model_ms_per_item=\(String(format: "%.3f", inside * 1000 / Double(items)))")
}
