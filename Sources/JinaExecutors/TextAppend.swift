import JinaRuntime

/// Appends `text` to the text of every document, on every endpoint; a document without text
/// counts as having `""` (the hello world of the Flow examples).
public struct TextAppend: Executor {
    public struct Configuration: Decodable, Sendable {
        /// The text to append; `""` when not given.
        public var text: String?
    }

    public let suffix: String

    public init(configuration: Configuration, context: ExecutorContext) {
        suffix = configuration.text ?? ""
    }

    public var endpoints: [Endpoint] {
        Endpoint { documents, _ in
            for index in documents.indices {
                documents[index].text = (documents[index].text ?? "") + suffix
            }
        }
    }
}
