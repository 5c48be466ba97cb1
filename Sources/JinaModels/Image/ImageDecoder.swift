import CJinaImage

/// Reads JPEG, PNG and WebP, refusing images of more than `maxPixels` pixels from their header,
/// before any pixel is decoded (a small file can announce an enormous image).
public struct ImageDecoder: Sendable {
    public var maxPixels: Int

    public init(maxPixels: Int = 50_000_000) {
        self.maxPixels = maxPixels
    }

    /// Whether JPEGs can be decoded: libjpeg-turbo's TurboJPEG library (Debian's `libturbojpeg0`)
    /// was found. Without it a JPEG is an error naming the package.
    public static var usesTurboJPEG: Bool { jina_image_has_turbojpeg() != 0 }

    /// Decodes `bytes`. `atLeast`: the smallest size the caller needs; a JPEG may then be
    /// decoded at a reduced scale (libjpeg-turbo's DCT scaling), never below it.
    public func decode(_ bytes: [UInt8], atLeast: (width: Int, height: Int)? = nil) throws(ImageError) -> DecodedImage {
        // The size a PNG or JPEG announces, read here first: stb_image refuses very large
        // images itself, but without saying why.
        if let (width, height) = Self.announcedSize(bytes), Self.exceeds(width, height, maxPixels) {
            throw .tooLarge(width: width, height: height, limit: maxPixels)
        }
        var error = [CChar](repeating: 0, count: 256)
        var format: Int32 = 0, width: Int32 = 0, height: Int32 = 0
        guard jina_image_info(bytes, bytes.count, &format, &width, &height, &error) == 0 else {
            throw bytes.isEmpty ? .empty : .undecodable(Self.message(error))
        }
        guard width > 0, height > 0 else { throw .undecodable("the header says \(width)×\(height)") }
        guard !Self.exceeds(Int(width), Int(height), maxPixels) else {
            throw .tooLarge(width: Int(width), height: Int(height), limit: maxPixels)
        }
        var decoded: UnsafeMutablePointer<UInt8>?
        let minimum = atLeast.map { (Int32(clamping: $0.width), Int32(clamping: $0.height)) } ?? (Int32.max, Int32.max)
        guard jina_image_decode_rgb_at_least(bytes, bytes.count, minimum.0, minimum.1, &decoded, &width, &height, &error) == 0,
              let decoded else {
            throw .undecodable(Self.message(error))
        }
        defer { jina_image_free(decoded) }
        return DecodedImage(width: Int(width), height: Int(height),
                            pixels: Array(UnsafeBufferPointer(start: decoded, count: Int(width) * Int(height) * 3)))
    }

    /// Width and height from a PNG's IHDR or a JPEG's start-of-frame marker, without decoding.
    static func announcedSize(_ bytes: [UInt8]) -> (Int, Int)? {
        func be(_ offset: Int, _ count: Int) -> Int {
            (0..<count).reduce(0) { $0 << 8 | Int(bytes[offset + $1]) }
        }
        if bytes.count >= 24, bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]), Array(bytes[12..<16]) == Array("IHDR".utf8) {
            return (be(16, 4), be(20, 4))
        }
        guard bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return nil }
        var offset = 2
        while offset + 9 < bytes.count {
            guard bytes[offset] == 0xFF else { return nil }
            let marker = bytes[offset + 1]
            if marker == 0xFF { offset += 1; continue }
            if (0xC0...0xCF).contains(marker), marker != 0xC4, marker != 0xC8, marker != 0xCC {
                return (be(offset + 7, 2), be(offset + 5, 2))
            }
            if marker == 0xD8 || (0xD0...0xD7).contains(marker) || marker == 0x01 { offset += 2; continue }
            offset += 2 + be(offset + 2, 2)
        }
        return nil
    }

    /// Whether `width × height` pixels are more than `limit` (headers can announce sizes whose
    /// product does not fit an Int).
    static func exceeds(_ width: Int, _ height: Int, _ limit: Int) -> Bool {
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        return overflow || pixels > limit
    }

    static func message(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
