import Foundation
@testable import JinaOrchestrator
import Testing

@Suite("run directory")
struct RunDirectoryTests {
    @Test("is created private (0700), short, named after the pid, and removed with its content")
    func lifecycle() throws {
        let directory = try RunDirectory.create(base: "/tmp")
        #expect(directory.path.hasPrefix("/tmp/jina-\(getpid())-"))
        #expect(directory.path.utf8.count <= 30)
        var info = stat()
        #expect(stat(directory.path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o700)
        let socket = try directory.socketPath(executor: "encoder", shard: 1, replica: 2)
        #expect(socket == directory.path + "/encoder-s1-r2.sock")
        #expect(FileManager.default.createFile(atPath: socket, contents: Data()))
        directory.remove()
        #expect(!directory.exists)
        directory.remove()  // twice is fine
    }

    @Test("two Flows of one process get different directories")
    func unique() throws {
        let first = try RunDirectory.create(base: "/tmp")
        let second = try RunDirectory.create(base: "/tmp")
        defer { first.remove(); second.remove() }
        #expect(first.path != second.path)
    }

    @Test("a 40-character executor name with two-digit shard and replica fits a socket path")
    func longestNameFits() throws {
        let directory = RunDirectory(path: "/tmp/jina-4194304-abcdef")
        let name = String(repeating: "e", count: 40)
        let path = try directory.socketPath(executor: name, shard: 99, replica: 99)
        #expect(path.utf8.count <= RunDirectory.maxSocketPathLength)
    }

    @Test("a socket path over 107 bytes is refused with a hint")
    func tooLong() {
        let directory = RunDirectory(path: "/" + String(repeating: "d", count: 90))
        #expect(throws: OrchestratorError.self) {
            try directory.socketPath(executor: "encoder", shard: 0, replica: 0)
        }
        do {
            _ = try directory.socketPath(executor: "encoder", shard: 0, replica: 0)
        } catch {
            #expect(error.summary.contains("107"))
            #expect(error.hint?.contains("TMPDIR") == true)
        }
    }

    @Test("a missing base directory is a clear error")
    func missingBase() {
        #expect(throws: OrchestratorError.self) { try RunDirectory.create(base: "/nonexistent-\(UUID().uuidString)") }
    }

    @Test("stale run directories of killed Flows are removed; live, foreign or non-socket ones are kept")
    func removeStale() throws {
        let base = NSTemporaryDirectory() + "stale-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: base) }
        let deadPID: Int32 = 4_194_305  // above PID_MAX_LIMIT: never a live process
        let stale = "\(base)/jina-\(deadPID)-abc123"
        let live = "\(base)/jina-\(getpid())-abc123"
        let other = "\(base)/jina-\(deadPID)-keepme"
        let notOurs = "\(base)/jina-\(deadPID)-toolong7"
        for path in [stale, live, other, notOurs] {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        _ = FileManager.default.createFile(atPath: stale + "/a-s0-r0.sock", contents: Data())
        _ = FileManager.default.createFile(atPath: stale + "/a-s0-r0.sock.lw", contents: Data())
        _ = FileManager.default.createFile(atPath: other + "/notes.txt", contents: Data())
        #expect(RunDirectory.removeStale(in: base) == [stale])
        for path in [live, other, notOurs] { #expect(FileManager.default.fileExists(atPath: path)) }
        #expect(RunDirectory.stalePID("jina-12-abcdef") == 12)
        #expect(RunDirectory.stalePID("jina-x-abcdef") == nil)
        #expect(RunDirectory.stalePID("jina-interop-abcdef.sock") == nil)
    }
}
