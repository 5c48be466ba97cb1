import ArgumentParser
import Foundation
import JinaClient
import JinaCore

/// `jina client`: talk to a running gateway from scripts and CI.
struct ClientCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "client",
        abstract: "Send documents to a running Flow from the shell.",
        subcommands: [Post.self]
    )

    /// `jina client post`: JSON lines in, JSON lines out.
    struct Post: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send documents (JSON lines) to an endpoint and print the results as JSON lines.",
            discussion: """
                Reads one document per line (a JSON object with docarray's fields: id, text, \
                tags, embedding, …; or plain text with --text), sends them in requests of \
                --request-size documents over gRPC, HTTP or WebSocket (the --host scheme), and \
                writes the returned documents to stdout as JSON lines, in input order. At most \
                --in-flight requests are outstanding, so memory stays flat for any input size. \
                A progress line goes to stderr when stderr is a terminal.

                What executors return in the replies' `parameters.__results__` (a \
                `VectorIndex`'s `/count`, for one) is printed with --results: one JSON \
                object on stdout instead of the documents, `{"results": {REPLICA: VALUE}, \
                "totals": {EXECUTOR: SUM}}`, where totals add up the numbers of an executor's \
                shards. An empty input sends one request without documents: \
                `jina client post --host H --endpoint /count --input /dev/null --results`.

                The first failed request stops the run: its error (naming the request id and \
                the executor) goes to stderr and the exit status is 1; results of the requests \
                before it have been written.

                \(ExitStatus.helpText)
                """
        )

        @Option(name: .long, help: ArgumentHelp("The gateway: grpc[s]://, http[s]://, ws[s]:// HOST:PORT, unix:///PATH or HOST:PORT.", valueName: "URL"))
        var host: String

        @Option(name: .long, help: ArgumentHelp("The endpoint to call, e.g. /index.", valueName: "ENDPOINT"))
        var endpoint: String

        @Option(name: .long, help: ArgumentHelp("Input file of JSON lines; - reads stdin.", valueName: "FILE"))
        var input: String = "-"

        @Flag(name: .long, help: "Each input line is plain text: it becomes {\"text\": LINE}.")
        var text = false

        @Option(name: .customLong("request-size"), help: ArgumentHelp("Documents per request.", valueName: "N"))
        var requestSize: Int = 100

        @Option(name: .long, help: ArgumentHelp("Parameters for the executors, a JSON object.", valueName: "JSON"))
        var parameters: String?

        @Option(name: .customLong("target-executor"), help: ArgumentHelp("Only run this executor of the Flow.", valueName: "NAME"))
        var targetExecutor: String?

        @Option(name: .customLong("in-flight"), help: ArgumentHelp("Requests outstanding at once.", valueName: "N"))
        var inFlight: Int = 16

        @Flag(name: .long, help: "Print what executors returned (parameters.__results__, summed over shards) as one JSON object instead of the documents.")
        var results = false

        @OptionGroup var connection: ClientConnectionOptions

        func validate() throws {
            guard requestSize >= 1 else { throw ValidationError("--request-size must be at least 1") }
            guard inFlight >= 1 else { throw ValidationError("--in-flight must be at least 1") }
            guard !endpoint.isEmpty else { throw ValidationError("--endpoint must not be empty") }
        }

        func run() async throws {
            let target = try GatewayTarget(parsing: host)
            let security = try connection.security()
            let parameters = try parsedParameters()
            let descriptor = try openInput()
            defer { if descriptor != STDIN_FILENO { close(descriptor) } }
            let pipeline = PostPipeline(
                endpoint: endpoint.hasPrefix("/") ? endpoint : "/" + endpoint, parameters: parameters,
                targetExecutor: targetExecutor, inFlight: inFlight)
            let format: DocumentBatcher.Format = text ? .text : .jsonLines
            let source = input == "-" ? "<stdin>" : input
            let requestSize = self.requestSize
            let printResults = results
            let transport = ClientTransports.make(target, security: security, inFlight: inFlight)
            try await transport.withConnection { connection in
                var batcher = DocumentBatcher(reader: LineReader(descriptor: descriptor), format: format, batchSize: requestSize, source: source)
                var writer = JSONLinesWriter(descriptor: STDOUT_FILENO)
                var progress = ProgressBar()
                var returned = ExecutorResults()
                do {
                    let summary = try await pipeline.run(input: &batcher, connection: connection) { reply, summary throws(ClientError) in
                        returned.add(reply)
                        if !printResults {
                            writer.write(reply.documents)
                            try writer.flush()
                        }
                        progress.update(documents: summary.documentsReceived, requests: summary.requests)
                    }
                    progress.finish(documents: summary.documentsReceived, requests: summary.requests)
                    if printResults {
                        writer.write(returned.json)
                        try writer.flush()
                    } else if !returned.isEmpty {
                        FileHandle.standardError.write(Data("jina client: executors returned results (parameters.__results__); print them with --results\n".utf8))
                    }
                } catch {
                    progress.finish(documents: 0, requests: 0)
                    throw error
                }
            }
        }

        private func parsedParameters() throws(ClientError) -> [String: JSONValue]? {
            guard let parameters else { return nil }
            guard let value = try? JSONValue(parsing: parameters), case .object(let members) = value else {
                throw ClientError(.invalidInput, "--parameters must be a JSON object, got `\(parameters)`")
            }
            return members
        }

        private func openInput() throws(ClientError) -> Int32 {
            guard input != "-" else { return STDIN_FILENO }
            let descriptor = open(input, O_RDONLY)
            guard descriptor >= 0 else {
                throw ClientError(.invalidInput, "cannot open --input \(input): \(String(cString: strerror(errno)))")
            }
            return descriptor
        }
    }
}
