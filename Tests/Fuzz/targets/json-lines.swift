// libFuzzer target: `jina client post`'s input reader (scripts/fuzz.sh json-lines) — lines read
// from a file descriptor in 64 KiB chunks (`LineReader`), each a JSON document or a text line
// (`DocumentBatcher`). The reader's chunk size comes from the input's first byte (1–64 bytes),
// so that lines cross chunk boundaries. Any input must give documents or a clean error.
#if canImport(Glibc)
import Glibc
#endif

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONLines(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let knob = Int(bytes.first ?? 0)
    let (descriptor, path) = fuzzFile("/tmp/jina-fuzz-json-lines-XXXXXX", data, size)
    unlink(path)
    defer { close(descriptor) }
    var batcher = DocumentBatcher(reader: LineReader(descriptor: descriptor, chunkSize: 1 + knob % 64), format: knob & 1 == 0 ? .jsonLines : .text,
                                  batchSize: 1 + knob % 7, source: "fuzz.jsonl")
    var documents = 0
    do {
        while let batch = try batcher.next() {
            documents += batch.count
            for document in batch { _ = document.json().serializedBytes() }
        }
    } catch {
        _ = "\(error)"
    }
    return 0
}
