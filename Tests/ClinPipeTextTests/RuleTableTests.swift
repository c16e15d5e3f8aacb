import ClinPipeCore
import ClinPipeText
import Testing

@Suite("RuleTable and Lexicon")
struct RuleTableTests {
    /// The problems of a rule file that fails to parse, or [] when it parses.
    static func problems(_ body: () throws -> Void) -> [String] {
        do {
            try body()
            return []
        } catch let error as RuleFileError {
            return error.problems
        } catch {
            return ["unexpected error \(error)"]
        }
    }

    @Test("rows, comments, blank lines, trimmed fields and missing trailing fields")
    func parses() throws {
        let text = """
        # a comment
        pattern\tlabel\tflags

        \\bL4\\b\t level \ti
        # another comment
        x\ty
        \t
        """
        let table = try RuleTable(name: "rules.tsv", text: text, required: ["pattern"])
        #expect(table.columns == ["pattern", "label", "flags"])
        #expect(table.rows.map(\.line) == [4, 6])
        #expect(table.rows[0]["pattern"] == "\\bL4\\b" && table.rows[0]["label"] == "level" && table.rows[0]["flags"] == "i")
        #expect(table.rows[1]["flags"] == "" && table.rows[1]["unknown"] == "")
    }

    @Test("CRLF files parse like LF files, with the same line numbers")
    func crlf() throws {
        let lf = "term\ttype\n# comment\npain\tfinding\n\nspasm\tfinding\n"
        let crlf = lf.replacingOccurrences(of: "\n", with: "\r\n")
        let a = try RuleTable(name: "lf.tsv", text: lf)
        let b = try RuleTable(name: "crlf.tsv", text: crlf)
        #expect(b.columns == a.columns)
        #expect(b.rows.map(\.fields) == a.rows.map(\.fields))
        #expect(b.rows.map(\.line) == [3, 5])
        #expect(Self.problems { _ = try RuleTable(name: "crlf.tsv", text: "term\ttype\r\na\tb\tc\r\n") }
                == ["crlf.tsv:2: 3 fields but the header has 2 columns"])
    }

    @Test("every problem is reported at once, each as file:line")
    func errors() {
        let text = """
        term\ttype\ttype\t
        pain\tfinding
        \tfinding
        a\tb\tc\td\te
        ok\tfine
        """
        let problems = Self.problems {
            _ = try RuleTable(name: "findings.tsv", text: text, required: ["term"], knownColumns: ["term", "type"])
        }
        #expect(problems.contains("findings.tsv:1: column 'type' named twice"))
        #expect(problems.contains("findings.tsv:1: empty column name in header"))
        #expect(problems.contains { $0.hasPrefix("findings.tsv:1: unknown column ''") })
        #expect(problems.contains("findings.tsv:3: empty 'term'"))
        #expect(problems.contains("findings.tsv:4: 5 fields but the header has 4 columns"))
        #expect(problems.allSatisfy { $0.hasPrefix("findings.tsv:") })
        #expect(!problems.contains { $0.hasPrefix("findings.tsv:5") }, "\(problems)")
        #expect(Self.problems { _ = try RuleTable(name: "empty.tsv", text: "# only a comment\n\n") } == ["empty.tsv: no header row"])
        #expect(Self.problems { _ = try RuleTable(name: "r.tsv", text: "# c\nlabel\nx\n", required: ["pattern"]) }
                .contains("r.tsv:2: header lacks required column 'pattern'"))
    }

    @Test("attribute fields")
    func attributes() {
        #expect(RuleTable.parseAttributes("")?.isEmpty == true)
        let pairs = RuleTable.parseAttributes(" a = 1 ; b=x y;; c= ")
        #expect(pairs?.map(\.0) == ["a", "b", "c"])
        #expect(pairs?.map(\.1) == ["1", "x y", ""])
        #expect(RuleTable.parseAttributes("a=1;novalue") == nil)
        #expect(RuleTable.parseAttributes("=1") == nil)
    }

    @Test("a lexicon gives typed attributes, normalized values and file:line sources")
    func lexicon() throws {
        let text = """
        term\ttype\tnormalized\tattributes
        Trigger Points\tfinding\t\tcriterion=tpi;count=3;strict=true
        twitch response\tfinding\ttwitch_response\t
        Norco\t\thydrocodone\tschedule=2
        """
        let lexicon = try Lexicon(name: "l.tsv", text: text, defaultType: "drug")
        #expect(lexicon.entries.map(\.type) == ["finding", "finding", "drug"])
        #expect(lexicon.entries.map(\.normalized) == ["trigger points", "twitch_response", "hydrocodone"])
        #expect(lexicon.entries[0].attributes == ["criterion": "tpi", "count": 3, "strict": true])
        #expect(lexicon.entries.map(\.source) == ["l.tsv:2", "l.tsv:3", "l.tsv:4"])
        #expect(lexicon.types == ["finding", "drug"])
        let matcher = lexicon.makeMatcher()
        #expect(matcher.matches(in: "trigger points and NORCO").count == 2)
    }

    @Test("lexicon errors name file:line, all at once")
    func lexiconErrors() {
        let text = """
        term\ttype\tattributes\tcolour
        pain\t\t
        spasm\tfinding\tnot-a-pair
        \tfinding
        """
        let problems = Self.problems { _ = try Lexicon(name: "bad.tsv", text: text) }
        #expect(problems.contains { $0.hasPrefix("bad.tsv:1: unknown column 'colour'") })
        #expect(problems.contains("bad.tsv:4: empty 'term'"))

        // Rows that the table accepts but the lexicon does not. (Table-level problems, such as an empty term, are
        // reported without these: the lexicon sees rows only from a table that parsed.)
        let rows = "term\ttype\tattributes\npain\t\t\nspasm\tfinding\tnot-a-pair\nok\tfinding\n"
        let rowProblems = Self.problems { _ = try Lexicon(name: "rows.tsv", text: rows) }
        #expect(rowProblems == ["rows.tsv:2: no type (and no default type)",
                                "rows.tsv:3: attributes must be key=value pairs separated by ';'"])
    }
}
