import Hummingbird
import NIOCore

/// Reading a request's body, bounded by `max_request_bytes`; each route words the failure its
/// own way (Jina's `detail`, FastAPI's 422 list, GraphQL's `errors`).
enum RequestBody {
    enum Failure: Error {
        /// Longer than the limit (HTTP 413).
        case tooLarge(limit: Int)
        /// The connection failed while it was read (HTTP 400).
        case unreadable(String)

        var message: String {
            switch self {
            case .tooLarge(let limit): "the request body is larger than \(limit) bytes (max_request_bytes)"
            case .unreadable(let problem): "the request body could not be read: \(problem)"
            }
        }
    }

    static func bytes(of request: Request, limit: Int) async throws(Failure) -> [UInt8] {
        var body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw .tooLarge(limit: limit)
        } catch {
            throw .unreadable("\(error)")
        }
        return body.readBytes(length: body.readableBytes) ?? []
    }
}
