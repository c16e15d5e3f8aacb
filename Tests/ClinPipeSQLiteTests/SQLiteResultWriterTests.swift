import CSQLite
import ClinPipeCore
import ClinPipeIO
import ClinPipeRunner
import ClinPipeSQLite
import ClinPipeStages
import ClinPipeTestSupport
import Foundation
import Testing

@Test func writesDocumentsAnnotationsAttributesAndErrors() throws {
    let path = NSTemporaryDirectory() + "clinpipe-test-\(UUID().uuidString).sqlite"
    defer { try? FileManager.default.removeItem(atPath: path) }
    let pipeline = try Pipeline(configuration: PipelineConfiguration(stageNames: ["normalize", "sentences"]), registry: .builtIn)
    let writer = try SQLiteResultWriter(path: path, unit: .codepoint, configuration: pipeline.effectiveConfiguration.serialized())
    let source = ArraySource([
        SourceRecord(id: "a", content: .success(InputDocument(id: "a", text: "Résumé one. Two here.", attributes: ["site": "x"]))),
        .failure(id: "b", "empty document"),
        SourceRecord(id: "c", content: .success(InputDocument(id: "c", text: "Third 😀 doc.",
            annotations: [InputAnnotation(type: "finding", begin: 6, end: 7, attributes: ["negated": true])]))),
    ])
    let summary = try Runner(pipeline: pipeline, encoder: JSONLEncoder(unit: .codepoint), options: RunOptions(jobs: 2))
        .run(source: source, writer: writer)
    #expect(summary.records == 3)
    #expect(summary.errors == 1)

    var database: OpaquePointer?
    #expect(sqlite3_open(path, &database) == SQLITE_OK)
    defer { sqlite3_close(database) }
    func rows(_ sql: String) -> [[String]] {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(database, sql, -1, &statement, nil) == SQLITE_OK else { return [["prepare failed"]] }
        defer { sqlite3_finalize(statement) }
        var result: [[String]] = []
        while sqlite3_step(statement) == SQLITE_ROW {
            result.append((0..<sqlite3_column_count(statement)).map { column in
                sqlite3_column_text(statement, column).map { String(cString: $0) } ?? "NULL"
            })
        }
        return result
    }
    #expect(rows("SELECT document_id, error FROM documents ORDER BY doc_key") == [["a", "NULL"], ["b", "empty document"], ["c", "NULL"]])
    #expect(rows("SELECT type, begin, \"end\", text FROM annotations WHERE doc_key = 1 ORDER BY annotation_id")
        == [["sentence", "0", "11", "Résumé one."], ["sentence", "12", "21", "Two here."]])
    #expect(rows("SELECT type, begin, \"end\", text FROM annotations WHERE doc_key = 3 AND type = 'finding'") == [["finding", "6", "7", "😀"]])
    #expect(rows("SELECT key, value FROM attributes WHERE doc_key = 3") == [["negated", "1"]])
    #expect(rows("SELECT offsets FROM runs") == [["codepoint"]])
    #expect(rows("SELECT count(*) FROM decisions") == [["0"]])
}
