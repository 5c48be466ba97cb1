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
        guard newWidth > 0, newHeight > 0 else { throw .badSettings("cannot resize to \(newWidth)×\(newHeight)") }
        if newWidth == width, newHeight == height { return self }
        var output = [UInt8](repeating: 0, count: newWidth * newHeight * 3)
        let status = pixels.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                jina_image_resize_rgb(input.baseAddress, Int32(width), Int32(height), out.baseAddress, Int32(newWidth), Int32(newHeight))
            }
        }
        guard status == 0 else { throw .undecodable("resizing \(width)×\(height) to \(newWidth)×\(newHeight) failed") }
        return DecodedImage(width: newWidth, height: newHeight, pixels: output)
    }

    /// The centred `width × height` part (the whole image where it is smaller).
    public func centreCropped(width cropWidth: Int, height cropHeight: Int) -> DecodedImage {
        let w = min(cropWidth, width), h = min(cropHeight, height)
        let left = (width - w) / 2, top = (height - h) / 2
        var output: [UInt8] = []
        output.reserveCapacity(w * h * 3)
        for row in top..<(top + h) {
            let start = (row * width + left) * 3
            output += pixels[start..<(start + w * 3)]
        }
        return DecodedImage(width: w, height: h, pixels: output)
    }
}
