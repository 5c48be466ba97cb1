// A client for any Jina executor: drives ONE bidirectional `JinaRPC/Call` stream with many
// requests in flight and reports requests per second, the way a gateway talks to an executor.
//
//   call-benchmark ADDRESS [--requests N] [--window W] [--request FILE.pb] [--endpoint E]
//
// ADDRESS is `unix:///path` or `grpc://host:port`. Every reply must come back with
// status SUCCESS and its request's id.
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import JinaProto
import JinaRuntime
import Synchronization

struct Options {
    var address = ""
    var requests = 100_000
    var window = 64
    var requestFile: String?
    var endpoint = "/"
}

func parse() -> Options {
    var options = Options()
    var arguments = CommandLine.arguments.dropFirst()
    while let argument = arguments.popFirst() {
        switch argument {
        case "--requests": options.requests = Int(arguments.popFirst() ?? "") ?? options.requests
        case "--window": options.window = Int(arguments.popFirst() ?? "") ?? options.window
        case "--request": options.requestFile = arguments.popFirst()
        case "--endpoint": options.endpoint = arguments.popFirst() ?? options.endpoint
        default: options.address = argument
        }
    }
    return options
}

let options = parse()
let transport: HTTP2ClientTransport.Posix
if options.address.hasPrefix("unix://") {
    transport = try HTTP2ClientTransport.Posix(
        target: .unixDomainSocket(path: String(options.address.dropFirst("unix://".count))), transportSecurity: .plaintext)
} else if options.address.hasPrefix("grpc://"), let colon = options.address.lastIndex(of: ":"),
    let port = Int(options.address[options.address.index(after: colon)...])
{
    let host = String(options.address[options.address.index(options.address.startIndex, offsetBy: 7)..<colon])
    transport = try HTTP2ClientTransport.Posix(target: .ipv4(address: host, port: port), transportSecurity: .plaintext)
} else {
    FileHandle.standardError.write(Data("usage: call-benchmark unix:///PATH|grpc://HOST:PORT [--requests N] [--window W]\n".utf8))
    exit(2)
}

let template: Jina_DataRequestProto = try {
    if let file = options.requestFile {
        return try Jina_DataRequestProto(serializedBytes: Data(contentsOf: URL(fileURLWithPath: file)))
    }
    return try Jina_DataRequestProto(endpoint: options.endpoint, documents: [Document(id: "bench-doc-0", text: "hello")])
}()

/// Permits for requests in flight on the stream.
let window = AsyncStream.makeStream(of: Void.self)
for _ in 0..<options.window { window.continuation.yield() }

let start = ContinuousClock.now
let failures = Mutex(0)
try await withGRPCClient(transport: transport) { client in
    try await Jina_JinaRPC.Client(wrapping: client).call { writer in
        var permits = window.stream.makeAsyncIterator()
        var request = template
        for index in 0..<options.requests {
            _ = await permits.next()
            request.header.requestID = String(index)
            try await writer.write(request)
        }
    } onResponse: { response in
        var received = 0
        for try await reply in response.messages {
            if reply.header.status.code != .success || Int(reply.header.requestID) == nil { failures.withLock { $0 += 1 } }
            received += 1
            window.continuation.yield()
            if received == options.requests { break }
        }
    }
}
let elapsed = ContinuousClock.now - start
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
let failed = failures.withLock { $0 }
print("call-benchmark \(options.address) requests=\(options.requests) window=\(options.window) "
    + "seconds=\(String(format: "%.3f", seconds)) rps=\(Int(Double(options.requests) / seconds)) failed=\(failed)")
exit(failed == 0 ? 0 : 1)
