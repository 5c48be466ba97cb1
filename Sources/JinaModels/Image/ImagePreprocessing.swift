/// How a decoded image becomes a model's input tensor: resize, centre crop, channel order,
/// scale, per-channel mean and standard deviation, and layout. The defaults are the bundled
/// ResNet-50's (open_nsfw): squash to 256×256, crop 224×224, BGR, minus the mean (104, 117, 123).
public struct ImagePreprocessing: Sendable, Equatable {
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

    public static func == (a: ImagePreprocessing, b: ImagePreprocessing) -> Bool {
        a.resize?.width == b.resize?.width && a.resize?.height == b.resize?.height && a.resizeMode == b.resizeMode
            && a.crop?.width == b.crop?.width && a.crop?.height == b.crop?.height && a.bgr == b.bgr
            && a.scale == b.scale && a.mean == b.mean && a.std == b.std && a.layout == b.layout
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

    /// The smallest decoded size `prepare` needs: the resize target (a JPEG can be decoded
    /// smaller than it is, down to this), or nil for the full image when nothing is resized.
    public var minimumDecodedSize: (width: Int, height: Int)? {
        guard let resize else { return nil }
        switch resizeMode {
        case .squash: return resize
        case .shorterSide: return (resize.width, resize.width)
        }
    }

    /// The prepared image: resized, then cropped.
    public func prepare(_ image: DecodedImage) throws(ImageError) -> DecodedImage {
        var image = image
        if let resize {
            switch resizeMode {
            case .squash:
                image = try image.resized(width: resize.width, height: resize.height)
            case .shorterSide:
                let shorter = min(image.width, image.height)
                let factor = Double(resize.width) / Double(shorter)
                image = try image.resized(width: max(1, Int((Double(image.width) * factor).rounded())),
                                          height: max(1, Int((Double(image.height) * factor).rounded())))
            }
        }
        if let crop { image = image.centreCropped(width: crop.width, height: crop.height) }
        return image
    }

    /// The tensor of `image` (after `prepare`) and its shape without the batch dimension.
    public func tensor(_ image: DecodedImage) throws(ImageError) -> (values: [Float], shape: [Int]) {
        let prepared = try prepare(image)
        let count = prepared.width * prepared.height
        var values = [Float](repeating: 0, count: count * 3)
        let order = bgr ? [2, 1, 0] : [0, 1, 2]
        for pixel in 0..<count {
            for channel in 0..<3 {
                let value = (Float(prepared.pixels[pixel * 3 + order[channel]]) * scale - mean[channel]) / std[channel]
                switch layout {
                case .nhwc: values[pixel * 3 + channel] = value
                case .nchw: values[channel * count + pixel] = value
                }
            }
        }
        let shape = layout == .nhwc ? [prepared.height, prepared.width, 3] : [3, prepared.height, prepared.width]
        return (values, shape)
    }
}
