// Shared by fuzz targets that read a file: the input written to a new temporary file.
#if canImport(Glibc)
import Glibc
#endif

/// A new file made by `mkstemp(template)` (ending in `XXXXXX`) holding the `size` bytes at
/// `data`, its offset back at 0. The caller closes the descriptor and removes the path.
func fuzzFile(_ template: String, _ data: UnsafePointer<UInt8>, _ size: Int) -> (descriptor: Int32, path: String) {
    var name = Array(template.utf8CString)
    let descriptor = mkstemp(&name)
    guard descriptor >= 0 else { fatalError("mkstemp: \(errno)") }
    var written = 0
    while written < size {
        let count = write(descriptor, data + written, size - written)
        guard count > 0 else { fatalError("write: \(errno)") }
        written += count
    }
    lseek(descriptor, 0, SEEK_SET)
    return (descriptor, String(cString: name))
}
