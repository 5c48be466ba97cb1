import Foundation
import JinaClient
import JinaCore

/// A file with `text`, opened for reading; the caller closes the descriptor.
func descriptor(reading text: String) throws -> Int32 {
    let path = NSTemporaryDirectory() + "jina-client-\(UUID().uuidString)"
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    let descriptor = open(path, O_RDONLY)
    unlink(path)
    return descriptor
}

/// All lines of `text` through a `LineReader`.
func lines(of text: String) throws -> [String] {
    let fd = try descriptor(reading: text)
    defer { close(fd) }
    var reader = LineReader(descriptor: fd)
    var result: [String] = []
    while let line = try reader.next() { result.append(String(decoding: line, as: UTF8.self)) }
    return result
}

/// Every batch of `text`.
func batches(of text: String, format: DocumentBatcher.Format = .jsonLines, size: Int) throws -> [[Document]] {
    let fd = try descriptor(reading: text)
    defer { close(fd) }
    var batcher = DocumentBatcher(reader: LineReader(descriptor: fd), format: format, batchSize: size, source: "docs.jsonl")
    var result: [[Document]] = []
    while let batch = try batcher.next() { result.append(batch) }
    return result
}
