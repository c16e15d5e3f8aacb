import ClinPipeCore
import Testing

@Suite("Attributes")
struct AttributesTests {
    @Test("appendNew gives what setting a new key gives, in the same order; reserving room changes nothing")
    func appendNewEqualsSettingNewKeys() {
        let pairs: [(String, AttributeValue)] = [("item", "x"), ("outcome", "upheld"), ("original_request", .int(3)),
                                                 ("authorized_portion", .bool(true)), ("guidelines", .list([.object(["source": "MTUS"])]))]
        var set = Attributes()
        var appended = Attributes()
        appended.reserveCapacity(16)
        for (key, value) in pairs {
            set[key] = value
            appended.appendNew(key, value)
        }
        #expect(appended == set)
        #expect(appended.keys == pairs.map(\.0))
        #expect(appended["original_request"] == .int(3))
    }
}
