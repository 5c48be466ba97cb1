/// A request a built-in executor refuses, with the reason (naming the document where there is
/// one): the runtime answers it as an error reply; nothing of the request was applied.
struct RequestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
