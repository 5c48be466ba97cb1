// libFuzzer target: what a VectorIndex reads back from its workspace at start-up
// (scripts/fuzz.sh index-log) — `index.log`'s records (`RecordLog.recover`: length, CRC-32, a
// torn or corrupt tail cut), then each record's change (`IndexChange`: the JSON, the documents,
// the float32 vectors). The input is the log file; its first byte picks the index's dimension.
// Any file must give changes or clean errors, and the recovered file must read back the same.
import JinaCore
#if canImport(Glibc)
import Glibc
#endif

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIndexLog(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let dimension = 1 + Int(size > 0 ? data[0] : 0) % 8
    let (descriptor, path) = fuzzFile("/dev/shm/jina-fuzz-index-log-XXXXXX", data, size)
    close(descriptor)
    defer { unlink(path) }
    if size > 0, case .put(let entries)? = try? IndexChange(record: Array(UnsafeBufferPointer(start: data + 1, count: size - 1)), dimension: dimension) {
        for entry in entries { precondition(entry.vector.count == dimension) }
    }
    do {
        let log = try RecordLog(path: path)
        let recovery = try log.recover()
        for record in recovery.records {
            if case .put(let entries)? = try? IndexChange(record: record, dimension: dimension) {
                for entry in entries { precondition(entry.vector.count == dimension) }
            }
        }
        // What recovery kept is whole: read again, it gives the same records and cuts nothing.
        let again = try RecordLog(path: path).recover()
        precondition(again.records == recovery.records && again.droppedBytes == 0, "recovery is not stable")
    } catch {
        _ = error.description
    }
    return 0
}
