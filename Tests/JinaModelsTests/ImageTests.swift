import Foundation
import JinaModels
import Testing

/// Small images made here, byte by byte, so the tests need no files.
enum TestImages {
    /// A valid PNG of `width × height` RGB pixels (stored, uncompressed deflate blocks).
    static func png(width: Int, height: Int, pixel: (Int, Int) -> (UInt8, UInt8, UInt8)) -> [UInt8] {
        var raw: [UInt8] = []
        for y in 0..<height {
            raw.append(0)  // filter: none
            for x in 0..<width {
                let (r, g, b) = pixel(x, y)
                raw += [r, g, b]
            }
        }
        return header(width: width, height: height) + chunk("IDAT", zlibStored(raw)) + chunk("IEND", [])
    }

    /// A PNG whose header announces `width × height` but holds no pixel data.
    static func pngHeaderOnly(width: Int, height: Int) -> [UInt8] {
        header(width: width, height: height) + chunk("IEND", [])
    }

    private static func header(width: Int, height: Int) -> [UInt8] {
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
            + chunk("IHDR", be32(width) + be32(height) + [8, 2, 0, 0, 0])
    }

    private static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typed = Array(type.utf8) + data
        return be32(data.count) + typed + be32(Int(crc(typed)))
    }

    private static func be32(_ value: Int) -> [UInt8] {
        [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    private static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let length = min(65_535, data.count - offset)
            let last: UInt8 = offset + length == data.count ? 1 : 0
            out += [last, UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8 & 0xFF)]
            out += data[offset..<(offset + length)]
            offset += length
        } while offset < data.count
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in data {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return out + be32(Int(b << 16 | a))
    }

    private static func crc(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
        }
        return crc ^ 0xFFFF_FFFF
    }
}

@Suite("image decoding and preparation")
struct ImageTests {
    @Test("a PNG decodes to its pixels; resize and centre crop keep what they should")
    func decodeResizeCrop() throws {
        let bytes = TestImages.png(width: 6, height: 4) { x, y in (UInt8(x * 40), UInt8(y * 60), 7) }
        let image = try ImageDecoder().decode(bytes)
        #expect(image.width == 6 && image.height == 4)
        #expect(Array(image.pixels[0..<3]) == [0, 0, 7])
        #expect(Array(image.pixels[(1 * 6 + 2) * 3..<((1 * 6 + 2) * 3 + 3)]) == [80, 60, 7])
        let cropped = image.centreCropped(width: 2, height: 2)
        #expect(cropped.width == 2 && Array(cropped.pixels[0..<3]) == [80, 60, 7])
        let flat = try DecodedImage(width: 4, height: 4, pixels: [UInt8](repeating: 9, count: 48)).resized(width: 2, height: 3)
        #expect(flat.pixels == [UInt8](repeating: 9, count: 18))
    }

    @Test("resizing into a centre crop in one pass equals resizing then cropping, byte for byte")
    func resizeWindowEqualsResizeThenCrop() throws {
        var generator = SystemRandomNumberGenerator()
        let cases: [(Int, Int, Int, Int, Int, Int)] = [
            (320, 240, 256, 256, 224, 224), (640, 480, 256, 256, 224, 224), (100, 37, 256, 256, 224, 224),
            (31, 17, 12, 9, 5, 4), (8, 8, 8, 8, 3, 5), (7, 9, 30, 2, 40, 1), (1, 1, 5, 5, 5, 5), (50, 60, 25, 30, 25, 29),
        ]
        for (width, height, newWidth, newHeight, cropWidth, cropHeight) in cases {
            let image = DecodedImage(width: width, height: height,
                                     pixels: (0..<(width * height * 3)).map { _ in UInt8.random(in: 0...255, using: &generator) })
            let expected = try image.resized(width: newWidth, height: newHeight).centreCropped(width: cropWidth, height: cropHeight)
            let windowed = try image.resized(width: newWidth, height: newHeight, croppingTo: (cropWidth, cropHeight))
            #expect(windowed == expected, "\(width)×\(height) → \(newWidth)×\(newHeight) crop \(cropWidth)×\(cropHeight)")
        }
        let prepared = try ImagePreprocessing().prepare(DecodedImage(width: 320, height: 240, pixels: [UInt8](repeating: 5, count: 230_400)))
        #expect(prepared.width == 224 && prepared.height == 224 && prepared.pixels.allSatisfy { $0 == 5 })
    }

    @Test("preparation: squash or shorter side, crop, BGR, mean and std, NHWC or NCHW")
    func preparation() throws {
        let image = DecodedImage(width: 2, height: 1, pixels: [10, 20, 30, 40, 50, 60])
        let nhwc = try ImagePreprocessing(resize: nil, crop: nil, bgr: true, scale: 1, mean: [1, 2, 3], std: [1, 1, 2]).tensor(image)
        #expect(nhwc.shape == [1, 2, 3])
        #expect(nhwc.values == [29, 18, 3.5, 59, 48, 18.5])
        let nchw = try ImagePreprocessing(resize: nil, crop: nil, bgr: false, scale: 0.1, mean: [0, 0, 0], std: [1, 1, 1], layout: .nchw).tensor(image)
        #expect(nchw.shape == [3, 1, 2])
        #expect(nchw.values.map { ($0 * 10).rounded() } == [10, 40, 20, 50, 30, 60])
        let tall = DecodedImage(width: 10, height: 20, pixels: [UInt8](repeating: 1, count: 600))
        let shorter = try ImagePreprocessing(resize: (5, 5), resizeMode: .shorterSide, crop: nil).prepare(tall)
        #expect(shorter.width == 5 && shorter.height == 10)
        #expect(throws: ImageError.self) { try ImagePreprocessing(mean: [1, 2]).validated() }
        #expect(throws: ImageError.self) { try ImagePreprocessing(std: [1, 0, 1]).validated() }
    }

    @Test("bad images are clean errors: empty, corrupt, truncated, a decompression bomb's header")
    func badImages() throws {
        let decoder = ImageDecoder(maxPixels: 10_000_000)
        #expect(throws: ImageError.empty) { try decoder.decode([]) }
        #expect(throws: ImageError.self) { try decoder.decode(Array("not an image at all".utf8)) }
        let good = TestImages.png(width: 8, height: 8) { _, _ in (1, 2, 3) }
        #expect(throws: ImageError.self) { try decoder.decode(Array(good.prefix(good.count - 20))) }
        #expect(throws: ImageError.self) { try decoder.decode([0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 1, 2, 3]) }  // a JPEG cut short
        #expect(throws: ImageError.tooLarge(width: 20_000, height: 20_000, limit: 10_000_000)) {
            try decoder.decode(TestImages.pngHeaderOnly(width: 20_000, height: 20_000))
        }
        // Sizes whose product does not fit an Int are refused, not a trap.
        #expect(throws: ImageError.tooLarge(width: 4_294_967_295, height: 4_294_967_295, limit: 10_000_000)) {
            try decoder.decode(TestImages.pngHeaderOnly(width: 4_294_967_295, height: 4_294_967_295))
        }
        let thin = DecodedImage(width: 1, height: 65_536, pixels: [UInt8](repeating: 7, count: 65_536 * 3))
        #expect(throws: ImageError.self) { try ImagePreprocessing(resize: (256, 256), resizeMode: .shorterSide, crop: nil).prepare(thin) }
        let hugeJPEG: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0, 0, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x75, 0x30, 0x4E, 0x20,
                                 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]
        #expect(throws: ImageError.tooLarge(width: 20_000, height: 30_000, limit: 10_000_000)) { try decoder.decode(hugeJPEG) }
    }

    @Test("JPEGs: libjpeg-turbo decodes every one; warnings keep the image, CMYK becomes RGB, a fuzzer's crafted file is an error or an image, never an abort")
    func jpegs() throws {
        guard ImageDecoder.usesTurboJPEG else {
            // Without the library a JPEG is refused by name (scripts/install-system-deps.sh installs it).
            #expect { try ImageDecoder().decode(Self.fixture("baseline.jpg")) } throws: { "\($0)".contains("libturbojpeg0") }
            return
        }
        let decoder = ImageDecoder()
        let baseline = try decoder.decode(Self.fixture("baseline.jpg"))
        #expect(baseline.width == 16 && baseline.height == 12)
        // Bytes after the end of the image, and a scan cut short: warnings, the image is kept.
        let trailing = try decoder.decode(Self.fixture("baseline.jpg") + Array("trailing bytes".utf8))
        #expect(trailing == baseline)
        let whole = try Self.fixture("baseline.jpg")
        let cut = try decoder.decode(Array(whole.prefix(whole.count - 40)))
        #expect(cut.width == 16 && cut.height == 12)
        // The same picture saved by PIL as CMYK (inverted, Adobe style): close to the RGB one.
        let cmyk = try decoder.decode(Self.fixture("cmyk.jpg"))
        #expect(cmyk.width == 16 && cmyk.height == 12)
        let difference = zip(cmyk.pixels, baseline.pixels).map { abs(Int($0) - Int($1)) }.reduce(0, +) / cmyk.pixels.count
        #expect(difference < 4, "mean difference \(difference)")
        // Found by scripts/fuzz.sh image-decode: stb_image's JPEG decoder aborted on it (assert in
        // stbi__jpeg_huff_decode). Whatever libjpeg-turbo makes of it, the process goes on.
        _ = try? decoder.decode(Self.fixture("stb-huffman-assert.jpg"))
        _ = try? decoder.decode(Self.fixture("stb-huffman-assert.jpg"), atLeast: (7, 7))
    }

    @Test("a PNG chunk longer than the file is refused before stb_image reserves memory for it")
    func pngChunkLongerThanTheFile() throws {
        // Found by scripts/fuzz.sh image-decode: a few hundred bytes whose image-data chunk announces about
        // 1 GiB; stb_image grew its buffer to 2 GiB before finding the data missing.
        #expect {
            try ImageDecoder().decode(Self.fixture("png-huge-chunk.png"))
        } throws: { "\($0)".contains("a PNG chunk announces") && "\($0)".contains("cut short or corrupt") }
        let good = TestImages.png(width: 8, height: 8) { _, _ in (1, 2, 3) }
        #expect(try ImageDecoder().decode(good + Array("trailing bytes after IEND".utf8)).width == 8)
    }

    static func fixture(_ name: String) throws -> [UInt8] {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures/images"))
        return try [UInt8](Data(contentsOf: url))
    }

    @Test("urls: data: URIs, files only under allowed roots, no network, no unknown schemes")
    func sources() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("jina-img-\(getpid())").path
        try FileManager.default.createDirectory(atPath: folder + "/allowed", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let bytes = TestImages.png(width: 2, height: 2) { _, _ in (5, 6, 7) }
        FileManager.default.createFile(atPath: folder + "/allowed/a.png", contents: Data(bytes))
        FileManager.default.createFile(atPath: folder + "/secret.png", contents: Data(bytes))
        let source = ImageSource(allowedPaths: [folder + "/allowed"])
        #expect(try source.bytes(url: "data:image/png;base64," + Data(bytes).base64EncodedString()) == bytes)
        #expect(try source.bytes(url: "file://" + folder + "/allowed/a.png") == bytes)
        #expect(try source.bytes(url: folder + "/allowed/a.png") == bytes)
        for outside in ["file://" + folder + "/secret.png", folder + "/allowed/../secret.png", "/etc/passwd"] {
            #expect(throws: ImageError.self, "\(outside)") { try source.bytes(url: outside) }
        }
        #expect(throws: ImageError.self) { try ImageSource(allowedPaths: []).bytes(url: folder + "/allowed/a.png") }
        #expect {
            try source.bytes(url: "https://example.com/a.png")
        } throws: { "\($0)".contains("does not fetch from the network") }
        #expect {
            try source.bytes(url: "gopher://example.com/a.png")
        } throws: { "\($0)".contains("`gopher:` is not supported") }
    }
}
