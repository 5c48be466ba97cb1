// libFuzzer target: a Hub package layer as a registry hands it over (TarArchive.read, issue
// #19) — ustar, pax and GNU long names, checksums, sizes, hostile paths — and the manifest.yml
// it may hold (PackageManifest.parse). Any input must be read or refused, never trap, and no
// entry may name a path outside the package folder.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHubLayer(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let entries = try? TarArchive.read(bytes) else { return 0 }
    for entry in entries {
        precondition(!entry.path.hasPrefix("/") && !entry.path.split(separator: "/").contains(".."), "unsafe path \(entry.path)")
        if entry.path == "manifest.yml" {
            _ = try? PackageManifest.parse(String(decoding: entry.contents, as: UTF8.self), place: "manifest.yml")
        }
    }
    return 0
}
