import GRPCCore
import NIOHPACK

/// The HTTP/2 headers of gRPC responses, as the gRPC-over-HTTP/2 specification spells them.
enum GRPCHeaders {
    /// The response headers: `:status 200` and the content type.
    static let response: HPACKHeaders = [":status": "200", "content-type": "application/grpc"]

    /// Trailers with `code` (and `message`, percent-encoded) plus `metadata`.
    static func trailers(_ code: RPCError.Code?, message: String = "", metadata: [(String, String)] = []) -> HPACKHeaders {
        var headers = HPACKHeaders()
        headers.add(name: "grpc-status", value: String(code.map { $0.rawValue } ?? 0))
        if !message.isEmpty { headers.add(name: "grpc-message", value: percentEncoded(message)) }
        for (name, value) in metadata { headers.add(name: name, value: value) }
        return headers
    }

    /// A response that is only trailers (an error before any message).
    static func trailersOnly(_ code: RPCError.Code?, message: String, metadata: [(String, String)] = []) -> HPACKHeaders {
        var headers = response
        headers.add(contentsOf: trailers(code, message: message, metadata: metadata))
        return headers
    }

    /// `grpc-message` encoding: printable ASCII except `%` as is, everything else as `%XX`.
    static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            if byte >= 0x20, byte <= 0x7E, byte != 0x25 {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }

    /// `grpc-timeout` (`1S`, `200m`, `5000u`…) as a duration; nil when absent or malformed.
    static func timeout(_ value: String?) -> Duration? {
        guard let value, let unit = value.last, let amount = Int64(value.dropLast()), amount >= 0,
              value.count <= 9 else { return nil }
        switch unit {
        case "H": return .seconds(amount * 3600)
        case "M": return .seconds(amount * 60)
        case "S": return .seconds(amount)
        case "m": return .milliseconds(amount)
        case "u": return .microseconds(amount)
        case "n": return .nanoseconds(amount)
        default: return nil
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
