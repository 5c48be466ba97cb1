import Foundation
@testable import JinaVectorIndex
import Testing

@Suite("the append-only record log")
struct RecordLogTests {
    func path(_ name: String) -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("jina-recordlog-\(getpid())").path
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/" + name
        try? FileManager.default.removeItem(atPath: path)
        return path
    }

    func write(_ records: [String], to path: String) throws {
        let log = try RecordLog(path: path)
        _ = try log.recover()
        for record in records { try log.append(Array(record.utf8)) }
    }

    func bytes(_ path: String) -> [UInt8] { Array(FileManager.default.contents(atPath: path)!) }

    @Test func recordsComeBackInOrder() throws {
        let file = path("whole")
        try write(["one", "", "three"], to: file)
        let recovery = try RecordLog(path: file).recover()
        #expect(recovery == RecordLog.Recovery(records: [Array("one".utf8), [], Array("three".utf8)], droppedBytes: 0, reason: nil))
    }

    @Test("a truncated tail (a write cut short) is cut, counted and reported; appends go on after it", arguments: [1, 4, 9, 12])
    func truncatedTail(cut: Int) throws {
        let file = path("torn-\(cut)")
        try write(["first", "second!"], to: file)
        let whole = bytes(file)
        FileManager.default.createFile(atPath: file, contents: Data(whole.dropLast(cut)))
        let log = try RecordLog(path: file)
        let recovery = try log.recover()
        #expect(recovery.records == [Array("first".utf8)])
        #expect(recovery.droppedBytes == whole.count - cut - (8 + 5))
        #expect(recovery.reason?.contains("torn") == true)
        try log.append(Array("third".utf8))
        #expect(try RecordLog(path: file).recover().records == [Array("first".utf8), Array("third".utf8)])
    }

    @Test func aCorruptRecordEndsTheLog() throws {
        let file = path("corrupt")
        try write(["alpha", "beta", "gamma"], to: file)
        var damaged = bytes(file)
        damaged[8 + 5 + 8] ^= 0xFF  // the first byte of "beta"
        FileManager.default.createFile(atPath: file, contents: Data(damaged))
        let recovery = try RecordLog(path: file).recover()
        #expect(recovery.records == [Array("alpha".utf8)])
        #expect(recovery.reason == "a record whose checksum does not match")
        #expect(recovery.droppedBytes == 2 * 8 + 4 + 5)
    }

    @Test func atomicFilesReplaceTheFileWholeOrNotAtAll() throws {
        let file = path("snapshot")
        let first = try AtomicFile(path: file)
        try first.write(Array("ab".utf8), at: 0)
        try first.commit()
        let second = try AtomicFile(path: file)
        try second.write(Array("d".utf8), at: 1)
        try second.write(Array("c".utf8), at: 0)
        try second.commit()
        #expect(FileManager.default.contents(atPath: file) == Data("cd".utf8))
        do {
            let abandoned = try AtomicFile(path: file)
            try abandoned.write(Array("zzz".utf8), at: 0)
        }
        #expect(FileManager.default.contents(atPath: file) == Data("cd".utf8))
        #expect(!FileManager.default.fileExists(atPath: file + ".tmp"))
    }

    @Test func crcMatchesZlib() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    }
}
