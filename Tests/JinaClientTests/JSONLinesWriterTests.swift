import Foundation
import JinaClient
import JinaCore
import Testing

@Suite("JSONLinesWriter")
struct JSONLinesWriterTests {
    @Test("one JSON object per line, readable back as the same documents")
    func roundTrip() throws {
        var descriptors: [Int32] = [0, 0]
        #expect(pipe(&descriptors) == 0)
        let documents = [
            Document(fields: ["id": .text("a", type: DocValue.idType), "text": .text("line\nbreak")]),
            Document(fields: ["id": .text("b", type: DocValue.idType), "tags": .dict(["k": .text("v")])]),
        ]
        var writer = JSONLinesWriter(descriptor: descriptors[1])
        writer.write(documents)
        try writer.flush()
        close(descriptors[1])
        let output = FileHandle(fileDescriptor: descriptors[0], closeOnDealloc: true).readDataToEndOfFile()
        let lines = String(decoding: output, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 2)
        let back = try lines.map { try Document(json: try JSONValue(parsing: $0)) }
        #expect(back == documents)
    }
}
