#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Dispatch

/// Changes to a set of files, from inotify (no polling). The folders holding the files are
/// watched, not the files: editors and compilers replace a file by writing another and renaming
/// it over, which a watch on the old file would miss. A path is reported when a file there is
/// closed after writing, or renamed into place: both only once its content is complete, so
/// nothing waits before reading it. Files under a watched folder count for that folder
/// (`py_modules: pkg`).
/// Events are read on a Dispatch thread, blocked in `poll`; ending the stream wakes it.
enum FileWatcher {
    /// The changed paths (a watched file, or a file under a watched folder), as they happen.
    /// Throws a description when inotify cannot be used.
    static func changes(files: [String], folders: [String]) throws(OrchestratorError) -> AsyncStream<String> {
        let notify = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard notify >= 0 else {
            throw OrchestratorError(.runtime, "reload: inotify is not available: \(String(cString: strerror(errno)))")
        }
        var wake: [Int32] = [0, 0]
        guard pipe(&wake) == 0 else {
            close(notify)
            throw OrchestratorError(.runtime, "reload: cannot make a pipe: \(String(cString: strerror(errno)))")
        }
        let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO)
        var watches: [Int32: (folder: String, names: Set<String>?)] = [:]
        func watch(_ folder: String, names: Set<String>?) throws(OrchestratorError) {
            let descriptor = inotify_add_watch(notify, folder, mask)
            guard descriptor >= 0 else {
                throw OrchestratorError(.runtime, "reload: cannot watch \(folder): \(String(cString: strerror(errno)))")
            }
            let known = watches[descriptor]
            // A folder watched whole stays whole; otherwise the names add up.
            if known != nil, known?.names == nil { return }
            watches[descriptor] = (folder, names.map { ($0).union(known?.names ?? []) })
        }
        do {
            for file in files {
                let slash = file.lastIndex(of: "/")
                let folder = slash.map { $0 == file.startIndex ? "/" : String(file[..<$0]) } ?? "."
                let name = slash.map { String(file[file.index(after: $0)...]) } ?? file
                try watch(folder, names: [name])
            }
            for folder in folders { try watch(folder, names: nil) }
        } catch {
            close(notify); close(wake[0]); close(wake[1])
            throw error
        }
        let table = watches
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        let (wakeRead, wakeWrite) = (wake[0], wake[1])
        // The write end belongs to the termination handler (it runs exactly once, whoever ends
        // the stream); the thread owns the rest.
        continuation.onTermination = { _ in
            var byte: UInt8 = 1
            _ = write(wakeWrite, &byte, 1)
            close(wakeWrite)
        }
        DispatchQueue.global().async {
            defer {
                continuation.finish()  // (its handler writes to the pipe: the read end is still open)
                close(notify)
                close(wakeRead)
            }
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                var descriptors = [pollfd(fd: notify, events: Int16(POLLIN), revents: 0),
                                   pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
                guard poll(&descriptors, 2, -1) >= 0 || errno == EINTR else { return }
                if descriptors[1].revents != 0 { return }
                guard descriptors[0].revents != 0 else { continue }
                let count = buffer.withUnsafeMutableBytes { read(notify, $0.baseAddress, $0.count) }
                guard count > 0 else {
                    if count < 0, errno == EAGAIN || errno == EINTR { continue }
                    return
                }
                for path in Self.paths(in: buffer[..<count], table: table) { continuation.yield(path) }
            }
        }
        return stream
    }

    /// The watched paths the events in `bytes` name.
    private static func paths(in bytes: ArraySlice<UInt8>, table: [Int32: (folder: String, names: Set<String>?)]) -> [String] {
        var paths: [String] = []
        var offset = bytes.startIndex
        let header = MemoryLayout<inotify_event>.size
        while offset + header <= bytes.endIndex {
            let (descriptor, length) = bytes.withUnsafeBytes { raw -> (Int32, Int) in
                let base = raw.baseAddress!.advanced(by: offset - bytes.startIndex)
                let event = base.loadUnaligned(as: inotify_event.self)
                return (event.wd, Int(event.len))
            }
            let nameBytes = bytes[(offset + header)..<min(offset + header + length, bytes.endIndex)]
            let name = String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self)
            offset += header + length
            guard let watched = table[descriptor] else { continue }
            if let names = watched.names {
                if names.contains(name) { paths.append(watched.folder + "/" + name) }
            } else {
                paths.append(name.isEmpty ? watched.folder : watched.folder + "/" + name)
            }
        }
        return paths
    }
}
