import Crypto
import Foundation

/// OCI content digests: `sha256:` and the lowercase hex of the SHA-256 of the bytes.
public enum Digest {
    public static func of(_ bytes: some DataProtocol) -> String {
        "sha256:" + SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    /// The digest of a file, read in 1 MiB pieces; nil when it cannot be read.
    public static func ofFile(_ path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var hasher = SHA256()
        do {
            // nil or empty: the end of the file.
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        } catch {
            return nil
        }
        return "sha256:" + hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// The hex part of a digest (the cache's file name for it).
    static func hex(_ digest: String) -> String { String(digest.dropFirst("sha256:".count)) }
}
