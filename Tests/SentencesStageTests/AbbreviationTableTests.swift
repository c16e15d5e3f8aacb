import ClinPipeText
@testable import SentencesStage
import Testing

@Suite struct AbbreviationTableTests {
    func rule(_ table: AbbreviationTable, _ token: String, after previous: String? = nil) -> AbbreviationTable.Rule? {
        Array(token.utf8).withUnsafeBufferPointer { token in
            guard let previous else { return table.rule(for: token, previousWord: nil) }
            return Array(previous.utf8).withUnsafeBufferPointer { table.rule(for: token, previousWord: $0) }
        }
    }

    @Test("words match case-insensitively and whole; pairs need their word before; later rows replace single words")
    func lookups() throws {
        let first = try RuleTable(name: "a.tsv", text: "abbreviation\twhen\nDr.\talways\nNo.\tbefore_digit\net al.\talways\nal.\tbefore_lower\nop. cit.\talways\nloc. cit.\tbefore_digit\nop. cit.\tbefore_lower\n", required: ["abbreviation", "when"])
        let second = try RuleTable(name: "b.tsv", text: "abbreviation\twhen\nno.\talways\n", required: ["abbreviation", "when"])
        let table = try AbbreviationTable(tables: [first, second])
        #expect(rule(table, "dr.") == .always)
        #expect(rule(table, "DR.") == .always)
        #expect(rule(table, "Dr") == nil)
        #expect(rule(table, "xdr.") == nil)
        #expect(rule(table, "r.") == nil)
        #expect(rule(table, "Dr.Dr.") == nil)
        #expect(rule(table, "no.") == .always)  // the second table's row
        #expect(rule(table, "al.") == .beforeLowercase)
        #expect(rule(table, "al.", after: "Et") == .always)
        #expect(rule(table, "al.", after: "eta") == .beforeLowercase)
        #expect(rule(table, "cit.") == nil)
        #expect(rule(table, "Cit.", after: "OP.") == .always)  // the first of two rows for one pair
        #expect(rule(table, "cit.", after: "loc.") == .beforeDigit)
        #expect(rule(table, "cit.", after: "ibid.") == nil)
        #expect(rule(table, "") == nil)
        #expect(rule(table, String(repeating: "x", count: 40) + ".") == nil)
    }
}
