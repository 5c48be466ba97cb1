/// Why an image cannot be read or prepared.
public enum ImageError: Error, Equatable, CustomStringConvertible {
    case empty
    case undecodable(String)
    case tooLarge(width: Int, height: Int, limit: Int)
    case badSettings(String)

    public var description: String {
        switch self {
        case .empty: "the image is empty (0 bytes)"
        case .undecodable(let reason): "the image cannot be decoded: \(reason)"
        case .tooLarge(let width, let height, let limit):
            "the image is \(width)×\(height) pixels; the limit is \(limit) pixels (max_pixels)"
        case .badSettings(let message): message
        }
    }
}
