import Foundation

/// Where an image's bytes come from when a document gives a `url`: a `data:` URI, or a local
/// file (`file://PATH` or a plain path) **only under `allowedRoots`** — a client must not be able
/// to make the server read its files, so none are allowed unless configured. Nothing is fetched
/// from the network.
public struct ImageSource: Sendable {
    /// Folders files may be read from, as real paths (symbolic links resolved).
    public let allowedRoots: [String]
    /// Files larger than this are refused before reading.
    public var maxFileBytes = 64 << 20

    /// - Parameter allowedPaths: folders (relative ones start at the working directory).
    public init(allowedPaths: [String]) {
        allowedRoots = allowedPaths.map { path in
            let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
            return Self.realPath(absolute) ?? (absolute as NSString).standardizingPath
        }
    }

    public func bytes(url: String) throws(ImageError) -> [UInt8] {
        if url.hasPrefix("data:") { return try Self.dataURI(url) }
        if let scheme = Self.scheme(of: url), scheme != "file" {
            if scheme == "http" || scheme == "https" {
                throw .badSettings("the url is \(scheme)://…: ImageEncoder does not fetch from the network; send the image as bytes_/blob or a data: URI")
            }
            throw .badSettings("the url's scheme `\(scheme):` is not supported; use data:, file:// or a path under allowed_paths")
        }
        var path = url.hasPrefix("file://") ? String(url.dropFirst("file://".count)) : url
        path = path.removingPercentEncoding ?? path
        guard !allowedRoots.isEmpty else {
            throw .badSettings("reading files is off: list the folders images may come from in uses_with.allowed_paths")
        }
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        guard let real = Self.realPath(absolute) else { throw .badSettings("no such file \(path)") }
        guard allowedRoots.contains(where: { real == $0 || real.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }) else {
            throw .badSettings("\(path) is outside allowed_paths")
        }
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: real),
              attributes[.type] as? FileAttributeType == .typeRegular else {
            throw .badSettings("\(path) is not a regular file")
        }
        if let size = attributes[.size] as? Int, size > maxFileBytes {
            throw .badSettings("\(path) is \(size) bytes; the limit is \(maxFileBytes)")
        }
        guard let data = FileManager.default.contents(atPath: real) else { throw .badSettings("cannot read \(path)") }
        return [UInt8](data)
    }

    /// `data:[media type][;base64],payload`.
    static func dataURI(_ url: String) throws(ImageError) -> [UInt8] {
        guard let comma = url.firstIndex(of: ",") else { throw .badSettings("the data: URI has no `,`") }
        let header = url[url.index(url.startIndex, offsetBy: 5)..<comma]
        let payload = String(url[url.index(after: comma)...])
        if header.hasSuffix(";base64") {
            guard let data = Data(base64Encoded: payload, options: .ignoreUnknownCharacters) else {
                throw .badSettings("the data: URI's base64 payload is malformed")
            }
            return [UInt8](data)
        }
        guard let text = payload.removingPercentEncoding else { throw .badSettings("the data: URI's payload is malformed") }
        return Array(text.utf8)
    }

    /// The scheme of `url` (`http` in `http://…`), nil for a plain path.
    static func scheme(of url: String) -> String? {
        guard let colon = url.firstIndex(of: ":") else { return nil }
        let scheme = url[..<colon]
        guard let first = scheme.first, first.isLetter,
              scheme.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }) else { return nil }
        return scheme.lowercased()
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
