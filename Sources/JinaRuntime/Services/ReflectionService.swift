import GRPCCore

/// gRPC server reflection (`grpc.reflection.v1alpha.ServerReflection`, and `v1`), limited to
/// `list_services`: Python Jina's gateway asks an executor which services it offers this way
/// before sending it anything, and only uses the stubs of services listed. Other reflection
/// requests get an `error_response` NOT_FOUND, as for an unknown symbol.
///
/// The messages are small and fixed, so they are read and written with `ProtoWire` rather than
/// generated code.
struct ReflectionService: RegistrableRPCService {
    static let serviceNames = ["grpc.reflection.v1alpha.ServerReflection", "grpc.reflection.v1.ServerReflection"]

    /// The fully qualified service names to list.
    let services: [String]

    func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
        let services = services
        for name in Self.serviceNames {
            router.registerHandler(
                forMethod: MethodDescriptor(fullyQualifiedService: name, method: "ServerReflectionInfo"),
                deserializer: BytesCoder(), serializer: BytesCoder()
            ) { request, _ in
                StreamingServerResponse { writer in
                    for try await message in request.messages {
                        try await writer.write(try Self.answer(message, services: services))
                    }
                    return [:]
                }
            }
        }
    }

    /// A `ServerReflectionResponse` for one `ServerReflectionRequest`.
    static func answer(_ request: [UInt8], services: [String]) throws -> [UInt8] {
        var host: [UInt8] = []
        var listServices = false
        do {
            try ProtoWire.forEachField(in: request[...]) { number, value in
                switch number {
                case 1: if case .bytes(let bytes) = value { host = Array(bytes) }
                case 7: listServices = true
                default: break
                }
            }
        } catch {
            throw RPCError(code: .invalidArgument, message: "malformed ServerReflectionRequest")
        }
        var response: [UInt8] = []
        ProtoWire.appendField(1, bytes: host, to: &response)  // valid_host
        ProtoWire.appendField(2, bytes: request, to: &response)  // original_request
        if listServices {
            var list: [UInt8] = []
            for service in services {
                var entry: [UInt8] = []
                ProtoWire.appendField(1, bytes: Array(service.utf8), to: &entry)  // ServiceResponse.name
                ProtoWire.appendField(1, bytes: entry, to: &list)  // ListServiceResponse.service
            }
            ProtoWire.appendField(6, bytes: list, to: &response)  // list_services_response
        } else {
            var error: [UInt8] = []
            ProtoWire.appendVarintField(1, 5, to: &error)  // error_code: NOT_FOUND
            ProtoWire.appendField(2, bytes: Array("only list_services is supported".utf8), to: &error)
            ProtoWire.appendField(7, bytes: error, to: &response)  // error_response
        }
        return response
    }
}

/// Passes message bytes through as they are.
struct BytesCoder: MessageSerializer, MessageDeserializer {
    func serialize<Bytes: GRPCContiguousBytes>(_ message: [UInt8]) throws -> Bytes { Bytes(message) }
    func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws -> [UInt8] {
        serializedMessageBytes.withUnsafeBytes { Array($0) }
    }
}

/// The protobuf wire format, just enough for small hand-written messages.
enum ProtoWire {
    enum Value {
        case varint(UInt64)
        case fixed64
        case bytes(ArraySlice<UInt8>)
        case fixed32
    }

    struct Malformed: Error {}

    static func appendVarint(_ value: UInt64, to buffer: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            buffer.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        buffer.append(UInt8(value))
    }

    /// A length-delimited field (string, bytes or embedded message).
    static func appendField(_ number: Int, bytes: some Collection<UInt8>, to buffer: inout [UInt8]) {
        appendVarint(UInt64(number) << 3 | 2, to: &buffer)
        appendVarint(UInt64(bytes.count), to: &buffer)
        buffer.append(contentsOf: bytes)
    }

    static func appendVarintField(_ number: Int, _ value: UInt64, to buffer: inout [UInt8]) {
        appendVarint(UInt64(number) << 3, to: &buffer)
        appendVarint(value, to: &buffer)
    }

    /// Calls `body` with each field of a message; throws `Malformed` on truncated or invalid input.
    static func forEachField(in bytes: ArraySlice<UInt8>, _ body: (Int, Value) throws -> Void) throws {
        var rest = bytes
        while !rest.isEmpty {
            let key = try readVarint(&rest)
            let number = Int(key >> 3)
            guard number > 0 else { throw Malformed() }
            switch key & 7 {
            case 0: try body(number, .varint(try readVarint(&rest)))
            case 1:
                guard rest.count >= 8 else { throw Malformed() }
                rest = rest.dropFirst(8)
                try body(number, .fixed64)
            case 2:
                let length = try readVarint(&rest)
                guard length <= UInt64(rest.count) else { throw Malformed() }
                let value = rest.prefix(Int(length))
                rest = rest.dropFirst(Int(length))
                try body(number, .bytes(value))
            case 5:
                guard rest.count >= 4 else { throw Malformed() }
                rest = rest.dropFirst(4)
                try body(number, .fixed32)
            default: throw Malformed()
            }
        }
    }

    private static func readVarint(_ bytes: inout ArraySlice<UInt8>) throws -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while let byte = bytes.popFirst() {
            guard shift < 64 else { throw Malformed() }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
        throw Malformed()
    }
}
