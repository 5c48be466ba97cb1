// libFuzzer target: a client's `target_executor` (TargetPattern) — the translation of a Python
// pattern to POSIX, its compilation, and matching against executor names. The first line is
// the pattern, the rest the names. Any input must be matched or refused, never trap; libFuzzer's
// -timeout catches a pattern that takes super-linear time (scripts/fuzz.sh target-pattern).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTargetPattern(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let lines = text.split(separator: "\n", maxSplits: 8, omittingEmptySubsequences: false)
    guard let pattern = lines.first, let compiled = TargetPattern(String(pattern)) else { return 0 }
    let names = lines.dropFirst().isEmpty ? ["encoder", "shop_the_look_image_encoder"] : lines.dropFirst().map(String.init)
    for name in names { _ = compiled.matchesPrefix(name) }
    return 0
}
