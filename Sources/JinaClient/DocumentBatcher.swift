public import JinaCore

/// Turns input lines into batches of documents: each line is one JSON document, or with `text`
/// one plain text line becomes `{"text": line}`. Blank lines are skipped. A line that is not a
/// document is invalid input naming its line (`docs.jsonl:12: …`).
public struct DocumentBatcher {
    /// How lines become documents.
    public enum Format: Sendable { case jsonLines, text }

    private var reader: LineReader
    private let format: Format
    private let batchSize: Int
    /// How the input is named in errors (`<stdin>` or the path as given).
    public let source: String

    public init(reader: LineReader, format: Format, batchSize: Int, source: String) {
        precondition(batchSize > 0, "the batch size must be positive")
        self.reader = reader
        self.format = format
        self.batchSize = batchSize
        self.source = source
    }

    /// The next batch (at most `batchSize` documents), or nil at the end of the input.
    public mutating func next() throws(ClientError) -> [Document]? {
        var batch: [Document] = []
        batch.reserveCapacity(batchSize)
        while batch.count < batchSize, let line = try reader.next() {
            if let document = try document(from: line) { batch.append(document) }
        }
        return batch.isEmpty ? nil : batch
    }

    private func document(from line: ArraySlice<UInt8>) throws(ClientError) -> Document? {
        switch format {
        case .text:
            return Document(fields: ["text": .text(String(decoding: line, as: UTF8.self))])
        case .jsonLines:
            guard line.contains(where: { !Self.isWhitespace($0) }) else { return nil }
            do {
                return try Document(json: try JSONValue(parsing: Array(line)))
            } catch {
                throw .badInput(source: source, line: reader.lineNumber, error.description)
            }
        }
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
    }
}
