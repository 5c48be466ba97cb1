import CJinaImage

/// An image as 8-bit RGB pixels, row-major (`height × width × 3`).
public struct DecodedImage: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(pixels.count == width * height * 3, "DecodedImage: \(pixels.count) bytes for \(width)×\(height) RGB")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The image resized to `width × height` (a triangle filter, widened when shrinking).
    public func resized(width newWidth: Int, height newHeight: Int) throws(ImageError) -> DecodedImage {
        if newWidth == width, newHeight == height { return self }
        return try resized(width: newWidth, height: newHeight, croppingTo: nil)
    }

    /// The centred `crop` part (the whole where it is smaller) of the image resized to
    /// `width × height`, equal to `resized(…).centreCropped(…)` byte for byte but computing only
    /// the pixels it keeps (the default preprocessing drops a quarter of a 256 × 256 resize).
    public func resized(width newWidth: Int, height newHeight: Int,
                        croppingTo crop: (width: Int, height: Int)?) throws(ImageError) -> DecodedImage {
        guard newWidth > 0, newHeight > 0 else { throw .badSettings("cannot resize to \(newWidth)×\(newHeight)") }
        let window = Self.centred(crop ?? (newWidth, newHeight), in: (newWidth, newHeight))
        let count = window.width * window.height * 3
        var status: Int32 = 0
        let output = [UInt8](unsafeUninitializedCapacity: count) { out, initialized in
            status = pixels.withUnsafeBufferPointer { input in
                jina_image_resize_rgb_window(input.baseAddress, Int32(width), Int32(height), Int32(newWidth), Int32(newHeight),
                                             Int32(window.left), Int32(window.top), Int32(window.width), Int32(window.height),
                                             out.baseAddress)
            }
            initialized = status == 0 ? count : 0
        }
        guard status == 0 else { throw .undecodable("resizing \(width)×\(height) to \(newWidth)×\(newHeight) failed") }
        return DecodedImage(width: window.width, height: window.height, pixels: output)
    }

    /// Where a centred `crop` lies in an image of `size` (the whole where it is smaller).
    static func centred(_ crop: (width: Int, height: Int), in size: (width: Int, height: Int))
        -> (left: Int, top: Int, width: Int, height: Int) {
        let w = min(crop.width, size.width), h = min(crop.height, size.height)
        return ((size.width - w) / 2, (size.height - h) / 2, w, h)
    }

    /// The centred `width × height` part (the whole image where it is smaller).
    public func centreCropped(width cropWidth: Int, height cropHeight: Int) -> DecodedImage {
        let window = Self.centred((cropWidth, cropHeight), in: (width, height))
        var output: [UInt8] = []
        output.reserveCapacity(window.width * window.height * 3)
        for row in window.top..<(window.top + window.height) {
            let start = (row * width + window.left) * 3
            output += pixels[start..<(start + window.width * 3)]
        }
        return DecodedImage(width: window.width, height: window.height, pixels: output)
    }
}
