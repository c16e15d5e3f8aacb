import ClinPipeCore
import ClinPipeTestSupport
import ClinPipeText
import DatesStage
import Foundation
import Testing

/// On `../shared/corpora/imr-dev`: wherever the letter's `date_of_injury` (from `letters.csv`, parsed from the
/// letters' header block, which is NOT in the text) occurs in the text in any written form, the stage's date with
/// `role: injury` must carry that value. Skips when `../shared` is absent.
@Suite struct ImrDevInjuryDateTests {
    /// Fields of one CSV line (double quotes, `""` escapes; no line breaks inside fields).
    static func csvFields(_ line: Substring) -> [String] {
        var fields: [String] = []
        var field = ""
        var quoted = false
        var iterator = line.makeIterator()
        while let character = iterator.next() {
            if quoted {
                if character == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { field.append("\"") } else {
                            quoted = false
                            if next == "," { fields.append(field); field = "" } else { field.append(next) }
                        }
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(character)
                }
            } else if character == "\"" {
                quoted = true
            } else if character == "," {
                fields.append(field)
                field = ""
            } else {
                field.append(character)
            }
        }
        fields.append(field)
        return fields
    }

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                             "October", "November", "December"]

    /// Every common written form of a date (`10/25/2016`, `10-25-16`, `October 25, 2016`, ...), without spaces.
    static func writtenForms(month: Int, day: Int, year: Int) -> [String] {
        let months = [String(month), month < 10 ? "0\(month)" : String(month)]
        let days = [String(day), day < 10 ? "0\(day)" : String(day)]
        let years = [String(year), String(year % 100 < 10 ? "0\(year % 100)" : String(year % 100))]
        var forms: [String] = []
        for m in months { for d in days { for y in years { for separator in ["/", "-"] {
            forms.append(m + separator + d + separator + y)
        } } } }
        for d in days { forms.append("\(monthNames[month - 1])\(d),\(year)") }
        return forms
    }

    /// Whether `form` (no spaces) occurs in `squeezed` (the text without whitespace), not inside a longer number.
    static func occurs(_ form: String, in squeezed: [UInt8]) -> Bool {
        let needle = Array(form.utf8)
        guard needle.count <= squeezed.count else { return false }
        func isNumberByte(_ byte: UInt8) -> Bool { ByteClass.isDigit(byte) || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "-") }
        var start = 0
        while start + needle.count <= squeezed.count {
            if squeezed[start] == needle[0], Array(squeezed[start..<start + needle.count]) == needle {
                let before = start > 0 ? squeezed[start - 1] : 0x20
                let after = start + needle.count < squeezed.count ? squeezed[start + needle.count] : 0x20
                if !isNumberByte(before) && !ByteClass.isDigit(after) { return true }
            }
            start += 1
        }
        return false
    }

    @Test func injuryDatesAgreeWithLettersCSV() throws {
        guard let shared = TestPaths.sharedCorpora else {
            print("skipped: ../shared/corpora is absent")
            return
        }
        let folder = shared.appendingPathComponent("imr-dev")
        let lines = try String(contentsOf: folder.appendingPathComponent("letters.csv"), encoding: .utf8)
            .split(whereSeparator: \.isNewline)
        let header = Self.csvFields(lines[0])
        let caseColumn = try #require(header.firstIndex(of: "case_number"))
        let injuryColumn = try #require(header.firstIndex(of: "date_of_injury"))
        let decisionColumn = try #require(header.firstIndex(of: "decision_date"))

        // Twice: as a user with letters.csv runs it (the letter's decision date as the document attribute that
        // anchors the two-digit-year pivot), and on the bare text (the pivot then uses the latest four-digit date
        // of the letter, or today).
        for withDecisionDate in [true, false] {
        var letters = 0, applicable = 0, agreed = 0
        var wrong: [String] = [], missed: [String] = []
        for line in lines.dropFirst() where !line.isEmpty {
            let fields = Self.csvFields(line)
            let caseNumber = fields[caseColumn]
            guard let injury = CalendarDate.parse(fields[injuryColumn]), injury.granularity == .day else { continue }
            let url = folder.appendingPathComponent("text/\(caseNumber).txt")
            guard let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
            letters += 1
            let squeezed = Array(text.utf8.filter { !ByteClass.isSpace($0) })
            guard Self.writtenForms(month: injury.month!, day: injury.day!, year: injury.year)
                .contains(where: { Self.occurs($0, in: squeezed) })
            else { continue }
            applicable += 1
            let attributes: Attributes = withDecisionDate ? ["decision_date": .string(fields[decisionColumn])] : [:]
            let dates = try DatesFixture.dates(text, attributes: attributes)
            let injuryValues = Set(dates.filter { $0.string("role") == "injury" }.compactMap { $0.string("value") })
            if injuryValues.contains(injury.iso8601) {
                agreed += 1
            } else if injuryValues.isEmpty {
                missed.append(caseNumber)
            } else {
                wrong.append("\(caseNumber) (found \(injuryValues.sorted().joined(separator: ", ")), "
                             + "expected \(injury.iso8601))")
            }
        }
        print("imr-dev injury dates (\(withDecisionDate ? "with" : "without") decision_date): \(letters) letters, date_of_injury occurs in the text of \(applicable), "
              + "agreement \(agreed)/\(applicable)")
        if !missed.isEmpty { print("  no injury-role date: " + missed.joined(separator: ", ")) }
        if !wrong.isEmpty { print("  other injury-role date: " + wrong.joined(separator: "; ")) }
        #expect(applicable >= 50)
        #expect(Double(agreed) / Double(max(1, applicable)) >= 0.95)
        }
    }
}
