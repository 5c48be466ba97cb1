import JinaClient
import JinaCore
import Testing

@Suite("DocumentBatcher")
struct DocumentBatcherTests {
    @Test("JSON lines become documents in batches of the request size; blank lines are skipped")
    func batching() throws {
        let input = (0..<7).map { "{\"id\": \"d\($0)\", \"text\": \"t\($0)\"}" }.joined(separator: "\n") + "\n\n"
        let result = try batches(of: input, size: 3)
        #expect(result.map(\.count) == [3, 3, 1])
        #expect(result[2][0].fields["id"] == .text("d6", type: DocValue.idType))
        #expect(result[0][1].fields["text"] == .text("t1"))
    }

    @Test("--text: each line is a document's text, blank lines included")
    func text() throws {
        let result = try batches(of: "hello\n{\"not\": \"json\"}\n\nend", format: .text, size: 10)
        #expect(result.count == 1)
        #expect(result[0].map { $0.fields["text"] } == [.text("hello"), .text("{\"not\": \"json\"}"), .text(""), .text("end")])
    }

    @Test("a line that is not a document is invalid input naming the file and the line")
    func badLine() throws {
        let error = #expect(throws: ClientError.self) {
            _ = try batches(of: "{\"text\": \"ok\"}\n\n[1, 2]\n", size: 10)
        }
        #expect(error?.kind == .invalidInput)
        #expect(error?.summary.hasPrefix("docs.jsonl:3: ") == true)
        let typed = #expect(throws: ClientError.self) {
            _ = try batches(of: "{\"text\": 5}\n", size: 10)
        }
        #expect(typed?.summary.contains("docs.jsonl:1: ") == true)
        #expect(typed?.summary.contains("text") == true)
    }
}
