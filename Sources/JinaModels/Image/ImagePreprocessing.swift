/// How a decoded image becomes a model's input tensor: resize, centre crop, channel order,
/// scale, per-channel mean and standard deviation, and layout. The defaults are the bundled
/// ResNet-50's (open_nsfw): squash to 256×256, crop 224×224, BGR, minus the mean (104, 117, 123).
public struct ImagePreprocessing: Sendable {
    public enum ResizeMode: String, Sendable, CaseIterable {
        /// Both sides to `resize` (the aspect ratio is not kept).
        case squash
        /// The shorter side to `resize.width`, the other in proportion.
        case shorterSide = "shorter_side"
    }

    public enum Layout: String, Sendable, CaseIterable {
        /// `[height, width, channels]`
        case nhwc
        /// `[channels, height, width]`
        case nchw
    }

    /// The most pixels `shorter_side` may produce from one image.
    static let maxPreparedPixels = 50_000_000

    public var resize: (width: Int, height: Int)?
    public var resizeMode: ResizeMode
    public var crop: (width: Int, height: Int)?
    public var bgr: Bool
    public var scale: Float
    public var mean: [Float]
    public var std: [Float]
    public var layout: Layout

    public init(resize: (width: Int, height: Int)? = (256, 256), resizeMode: ResizeMode = .squash,
                crop: (width: Int, height: Int)? = (224, 224), bgr: Bool = true, scale: Float = 1,
                mean: [Float] = [104, 117, 123], std: [Float] = [1, 1, 1], layout: Layout = .nhwc) {
        self.resize = resize
        self.resizeMode = resizeMode
        self.crop = crop
        self.bgr = bgr
        self.scale = scale
        self.mean = mean
        self.std = std
        self.layout = layout
    }

    /// Checks the settings once: three means, three non-zero deviations, positive sizes.
    public func validated() throws(ImageError) -> ImagePreprocessing {
        guard mean.count == 3, std.count == 3 else { throw .badSettings("`mean` and `std` need 3 values each (one per channel)") }
        guard std.allSatisfy({ $0 != 0 }) else { throw .badSettings("`std` must not contain 0") }
        for (name, size) in [("resize", resize), ("crop", crop)] {
            if let size, size.width <= 0 || size.height <= 0 { throw .badSettings("`\(name)` must be positive") }
        }
        return self
    }

    /// How much smaller than the resize target a JPEG may be decoded (libjpeg-turbo decodes at
    /// scales of n/8): 7/8 lets a 640 × 480 photo bound for 256 × 256 decode at 1/2 (320 × 240, then
    /// stretched by 16/15) instead of 5/8; measured against PIL's full decode and resize, cosine
    /// of the embeddings 0.9997 (0.9998 at 5/8), for a third less time outside the model.
    static let decodeSlack = (numerator: 7, denominator: 8)

    /// The smallest decoded size `prepare` needs: the resize target less `decodeSlack` (a JPEG
    /// can be decoded that much smaller than it is), or nil for the full image when nothing is
    /// resized.
    public var minimumDecodedSize: (width: Int, height: Int)? {
        guard let resize else { return nil }
        let (numerator, denominator) = Self.decodeSlack
        switch resizeMode {
        case .squash: return (resize.width * numerator / denominator, resize.height * numerator / denominator)
        case .shorterSide:
            let side = resize.width * numerator / denominator
            return (side, side)
        }
    }

    /// The prepared image: resized, then cropped (in one pass when both are set).
    public func prepare(_ image: DecodedImage) throws(ImageError) -> DecodedImage {
        guard let target = try resizeTarget(of: image) else {
            return crop.map { image.centreCropped(width: $0.width, height: $0.height) } ?? image
        }
        if target.width == image.width, target.height == image.height, crop == nil { return image }
        return try image.resized(width: target.width, height: target.height, croppingTo: crop)
    }

    /// The size `image` is resized to, or nil when it is not resized.
    func resizeTarget(of image: DecodedImage) throws(ImageError) -> (width: Int, height: Int)? {
        guard let resize else { return nil }
        switch resizeMode {
        case .squash:
            return resize
        case .shorterSide:
            let shorter = min(image.width, image.height)
            guard shorter > 0 else { throw .undecodable("the image is \(image.width)×\(image.height)") }
            // A long thin image would grow past any sensible size: refuse it as too large.
            let longer = Double(max(image.width, image.height)) * Double(resize.width) / Double(shorter)
            guard longer * Double(resize.width) <= Double(Self.maxPreparedPixels) else {
                throw .tooLarge(width: image.width, height: image.height, limit: Self.maxPreparedPixels)
            }
            let factor = Double(resize.width) / Double(shorter)
            return (max(1, Int((Double(image.width) * factor).rounded())), max(1, Int((Double(image.height) * factor).rounded())))
        }
    }

    /// The tensor of `image` (after `prepare`) and its shape without the batch dimension.
    public func tensor(_ image: DecodedImage) throws(ImageError) -> (values: [Float], shape: [Int]) {
        let prepared = try prepare(image)
        var values = [Float](repeating: 0, count: prepared.width * prepared.height * 3)
        values.withUnsafeMutableBufferPointer { write(prepared, into: $0) }
        return (values, shape(of: prepared))
    }

    /// The tensor shape of a prepared image, without the batch dimension.
    public func shape(of prepared: DecodedImage) -> [Int] {
        layout == .nhwc ? [prepared.height, prepared.width, 3] : [3, prepared.height, prepared.width]
    }

    /// Writes the tensor of a prepared image (`prepare`'s result) into `out`, which holds
    /// width × height × 3 values: a batch is filled in place, row by row.
    public func write(_ prepared: DecodedImage, into out: UnsafeMutableBufferPointer<Float>) {
        let count = prepared.width * prepared.height
        precondition(out.count == count * 3, "ImagePreprocessing.write: \(out.count) values for \(count) pixels")
        // Per channel c of the output: value = pixel[source c] * gain[c] - offset[c].
        let source = bgr ? [2, 1, 0] : [0, 1, 2]
        let gain = (0..<3).map { scale / std[$0] }
        let offset = (0..<3).map { mean[$0] / std[$0] }
        prepared.pixels.withUnsafeBufferPointer { pixels in
            for channel in 0..<3 {
                let from = source[channel], g = gain[channel], o = offset[channel]
                switch layout {
                case .nhwc:
                    for pixel in 0..<count { out[pixel * 3 + channel] = Float(pixels[pixel * 3 + from]) * g - o }
                case .nchw:
                    let plane = channel * count
                    for pixel in 0..<count { out[plane + pixel] = Float(pixels[pixel * 3 + from]) * g - o }
                }
            }
        }
    }
}
