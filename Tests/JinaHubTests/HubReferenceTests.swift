import JinaCore
import Testing

@Suite struct HubReferenceTests {
    @Test func commandLineForms() throws {
        let full = try HubReference.parse("registry.example.com:5000/team/My-Encoder:1.0").get()
        #expect(full.registry == "registry.example.com:5000")
        #expect(full.namespace == "team" && full.name == "My-Encoder" && full.tag == "1.0")
        #expect(full.repository == "team/my-encoder")
        #expect(full.description == "registry.example.com:5000/team/My-Encoder:1.0")
        let digest = "sha256:" + String(repeating: "ab", count: 32)
        let pinned = try HubReference.parse("team/enc@" + digest).get()
        #expect(pinned.registry == nil && pinned.digest == digest && pinned.effectiveTag == "latest")
        #expect(try HubReference.parse("[::1]:5000/a/b").get().registry == "[::1]:5000")
    }

    @Test(arguments: ["enc", "team/", "/enc", "a/b/c/d", "team/enc:", "team/enc:-x", "team/enc@sha256:12", "team/a..b",
                      "bad host!/a/b", "team/enc@md5:" + String(repeating: "0", count: 32)])
    func malformedReferencesAreRefused(_ text: String) {
        guard case .failure(let problem) = HubReference.parse(text) else {
            Issue.record("\(text) parsed")
            return
        }
        #expect(problem.message.contains(text.trimmingCharacters(in: .whitespaces)) || problem.message.contains("`"))
    }

    @Test func usesForms() throws {
        #expect(HubReference.parseUses("Identity") == nil)
        let modern = try #require(HubReference.parseUses("jinaai://team/enc:2")).get()
        #expect(modern.namespace == "team" && modern.tag == "2" && !modern.isContainerImage)
        // Jina's legacy form: NAME[:SECRET][/TAG]; without /TAG the part after `:` is the tag.
        let legacy = try #require(HubReference.parseUses("jinahub://SimpleIndexer/v0.1", defaultNamespace: "ns")).get()
        #expect(legacy.namespace == "ns" && legacy.name == "SimpleIndexer" && legacy.tag == "v0.1")
        let secret = try #require(HubReference.parseUses("jinahub://SimpleIndexer:s3cret/v2")).get()
        #expect(secret.tag == "v2" && secret.namespace == HubReference.defaultNamespace)
        #expect(try #require(HubReference.parseUses("jinahub://SimpleIndexer:v3")).get().tag == "v3")
        let image = try #require(HubReference.parseUses("jinaai+docker://team/enc:1")).get()
        #expect(image.isContainerImage)
        #expect(ExecutorUses.hub(modern).text == "jinaai://team/enc:2")
    }
}
