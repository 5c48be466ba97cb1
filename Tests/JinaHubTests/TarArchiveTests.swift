import Foundation
@testable import JinaHub
import Testing

@Suite struct TarArchiveTests {
    @Test func roundTripKeepsPathsModesAndContents() throws {
        let long = String(repeating: "deep/", count: 30) + "file.bin"  // 158 bytes: a ustar prefix split
        let veryLong = String(repeating: "x", count: 120) + "/" + String(repeating: "y", count: 120)  // needs pax
        let entries = [
            TarArchive.Entry(path: "bin", kind: .directory, mode: 0o755),
            TarArchive.Entry(path: "bin/run", kind: .file, mode: 0o755, contents: Array("#!/bin/sh\n".utf8)),
            TarArchive.Entry(path: "empty.txt", kind: .file, mode: 0o644),
            TarArchive.Entry(path: long, kind: .file, mode: 0o644, contents: [UInt8](repeating: 7, count: 1000)),
            TarArchive.Entry(path: veryLong, kind: .file, mode: 0o600, contents: [1, 2, 3]),
        ]
        let bytes = TarArchive.write(entries)
        #expect(bytes.count % 512 == 0)
        #expect(try TarArchive.read(bytes) == entries)
        #expect(TarArchive.write(entries) == bytes)  // reproducible
    }

    @Test func pathsLeavingTheFolderAndLinksAreRefused() {
        for name in ["../escape", "/etc/passwd", "a/../../b"] {
            let bytes = TarArchive.write([TarArchive.Entry(path: name, kind: .file, mode: 0o644, contents: [1])])
            #expect(throws: TarArchive.Problem.self) { try TarArchive.read(bytes) }
        }
        var link = TarArchive.write([TarArchive.Entry(path: "l", kind: .file, mode: 0o644)])
        link[156] = UInt8(ascii: "2")
        // Recompute the checksum so only the type is wrong.
        for index in 148..<156 { link[index] = UInt8(ascii: " ") }
        let sum = link[0..<512].reduce(0) { $0 + Int($1) }
        let octal = String(sum, radix: 8)
        let field = Array((String(repeating: "0", count: 6 - octal.count) + octal).utf8) + [0, UInt8(ascii: " ")]
        for (offset, byte) in field.enumerated() { link[148 + offset] = byte }
        #expect(throws: TarArchive.Problem(message: "`l` is a link; packages hold only files and folders")) { try TarArchive.read(link) }
    }

    @Test func damagedAndTruncatedArchivesAreErrorsNotCrashes() {
        let bytes = TarArchive.write([TarArchive.Entry(path: "a", kind: .file, mode: 0o644, contents: [UInt8](repeating: 1, count: 2000))])
        var damaged = bytes
        damaged[10] ^= 0xff
        #expect(throws: TarArchive.Problem.self) { try TarArchive.read(damaged) }
        #expect(throws: TarArchive.Problem.self) { try TarArchive.read(Array(bytes.prefix(1024))) }
    }

    /// Python's tarfile (what oras-py uses) writes pax headers and `./`-less names; read one.
    @Test func readsPythonTarfileOutput() throws {
        let python = ProcessInfo.processInfo.environment["JINA_REF_VENV"].map { $0 + "/bin/python" } ?? "/usr/bin/python3"
        guard FileManager.default.isExecutableFile(atPath: python) else { return }
        let script = """
            import io, sys, tarfile
            buf = io.BytesIO()
            with tarfile.open(fileobj=buf, mode='w', format=tarfile.PAX_FORMAT) as tar:
                info = tarfile.TarInfo('pkg'); info.type = tarfile.DIRTYPE; info.mode = 0o755; tar.addfile(info)
                data = 'héllo'.encode()
                info = tarfile.TarInfo('pkg/ünïcode-' + 'n' * 110 + '.txt'); info.size = len(data); info.mode = 0o640
                tar.addfile(info, io.BytesIO(data))
            sys.stdout.buffer.write(buf.getvalue())
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let entries = try TarArchive.read([UInt8](data))
        #expect(entries.map(\.path) == ["pkg", "pkg/ünïcode-" + String(repeating: "n", count: 110) + ".txt"])
        #expect(entries[1].contents == Array("héllo".utf8) && entries[1].mode == 0o640)
    }
}
