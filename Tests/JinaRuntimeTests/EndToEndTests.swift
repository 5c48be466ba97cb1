import Foundation
import JinaProto
import JinaRuntime
import Testing

@Suite("jina executor, the built binary")
struct EndToEndTests {
    @Test("serves TextAppend on a Unix socket, answers, and exits 0 on SIGTERM leaving no socket")
    func servesAndStops() async throws {
        let binary = jinaBinary()
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build the jina binary first: \(binary)")
        let directory = try temporaryDirectory()
        let path = directory + "/text-append.sock"
        let child = try ChildProcess(binary, ["executor", "--uses", "TextAppend", "--uses-with", #"{"text":"!"}"#, "--socket", path])
        let ready = await child.readLine()
        try #require(ready == "ready unix://\(path)", "stderr: \(child.stderr)")

        let reply = try await withClient(.unix(path: path)) { client in
            try await Jina_JinaSingleDataRequestRPC.Client(wrapping: client).process_single_data(request("/", id: "e2e"))
        }
        #expect(reply.requestID == "e2e")
        #expect(try reply.documents()[0].text == "hello!")

        child.send(SIGTERM)
        #expect(await child.waitForExit() == 0, "stderr: \(child.stderr)")
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(await child.readLine() == nil)
        try? FileManager.default.removeItem(atPath: directory)
    }

    @Test("prints its real port for --port 0 and stops on SIGINT")
    func tcpPortZero() async throws {
        let child = try ChildProcess(jinaBinary(), ["executor", "--uses", "Identity", "--port", "0", "--host", "127.0.0.1"])
        let ready = try #require(await child.readLine())
        let prefix = "ready grpc://127.0.0.1:"
        try #require(ready.hasPrefix(prefix), "got \(ready); stderr: \(child.stderr)")
        let port = try #require(Int(ready.dropFirst(prefix.count)))
        let reply = try await withClient(.tcp(host: "127.0.0.1", port: port)) { client in
            try await Jina_JinaSingleDataRequestRPC.Client(wrapping: client).process_single_data(request("/"))
        }
        #expect(reply.routes.map(\.executor) == ["executor"])
        child.send(SIGINT)
        #expect(await child.waitForExit() == 0)
    }

    @Test("bad input exits 2 with one error line and a hint", arguments: [
        (["executor", "--uses", "TextApend", "--port", "0"], "error: unknown executor TextApend"),
        (["executor", "--uses", "TextAppend", "--uses-with", #"{"txt":"!"}"#, "--port", "0"],
         "error: unknown key uses_with.txt for executor TextAppend"),
        (["executor", "--uses", "TextAppend"], "error: say where to listen: --socket PATH or --port P [--host H]"),
    ])
    func invalidInput(arguments: [String], message: String) async throws {
        let child = try ChildProcess(jinaBinary(), arguments)
        #expect(await child.waitForExit() == 2)
        let lines = child.stderr.split(separator: "\n").map(String.init)
        #expect(lines.first == message)
        #expect(lines.dropFirst().first?.hasPrefix("  hint: ") == true)
        #expect(await child.readLine() == nil)
    }

    @Test("--list prints every built-in with its parameters")
    func list() async throws {
        let child = try ChildProcess(jinaBinary(), ["executor", "--list"])
        var lines: [String] = []
        while let line = await child.readLine() { lines.append(line) }
        #expect(await child.waitForExit() == 0)
        #expect(lines.contains("Identity (alias: BaseExecutor)"))
        #expect(lines.contains("TextAppend"))
        #expect(lines.contains { $0.contains("uses_with.text: string = \"\"") })
    }
}
