// libFuzzer target: what ImageEncoder does with a client's image bytes (scripts/fuzz.sh
// image-decode) — the header pre-check, the C decoders (stb_image for PNG; libjpeg-turbo and
// libwebp, opened with dlopen, for JPEG and WebP: ASan sees their memory use but libFuzzer has no
// coverage inside them), then resizing and cropping in resample.c. Any input must decode or throw; the settings come from the input's last byte,
// so the fuzzer also varies the resize target, the mode and the crop.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzImageDecode(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // A small limit keeps each run inside libFuzzer's memory limit and fast (an input may
    // announce any size); the checks are the same at any limit.
    let decoder = ImageDecoder(maxPixels: 1_000_000)
    let knob = Int(bytes.last ?? 0)
    let side = 1 + knob % 61
    let preprocessing = ImagePreprocessing(resize: knob & 0x40 != 0 ? nil : (side, 1 + (knob * 7) % 53),
                                           resizeMode: knob & 0x80 != 0 ? .shorterSide : .squash,
                                           crop: knob & 0x20 != 0 ? nil : (1 + knob % 29, 1 + knob % 31))
    _ = ImageDecoder.announcedSize(bytes)
    if let image = try? decoder.decode(bytes, atLeast: preprocessing.minimumDecodedSize),
       let prepared = try? preprocessing.prepare(image), prepared.width * prepared.height <= 1 << 16 {
        var out = [Float](repeating: 0, count: prepared.width * prepared.height * 3)
        out.withUnsafeMutableBufferPointer { preprocessing.write(prepared, into: $0) }
    }
    _ = try? decoder.decode(bytes)
    return 0
}
