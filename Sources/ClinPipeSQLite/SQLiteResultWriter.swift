import CSQLite
import ClinPipeCore
import ClinPipeIO
import Foundation

/// Writes a run into a SQLite database for analysis in SQL, pandas or R.
///
/// Tables:
/// - `runs(run_id, started, tool, offsets, configuration)`: the run with its effective pipeline configuration (JSON);
/// - `documents(run_id, doc_key, document_id, error, attributes)`: one row per input record (an error record has
///   `error` set), `attributes` as JSON;
/// - `annotations(run_id, doc_key, annotation_id, type, begin, end, text, stage, rule, attributes)`: offsets in
///   the run's unit (`runs.offsets`), half-open, into the original text; `attributes` as JSON;
/// - `attributes(run_id, doc_key, annotation_id, key, value)`: one row per annotation attribute, `value` as a SQL
///   scalar (text, integer, real; booleans as 0/1; lists and objects as JSON text);
/// - view `decisions`: the `imr.decision` annotations with their main attributes as columns.
///
/// A new file is created (an existing one is replaced). Rows are inserted in transactions of 500 documents;
/// journaling is off while writing, so a run that is killed leaves an incomplete file: rerun it.
public final class SQLiteResultWriter: ResultWriter, @unchecked Sendable {
    private var database: OpaquePointer?
    private let unit: OffsetUnit
    private let runID: Int
    private var documentKey = 0
    private var insertDocument: OpaquePointer?
    private var insertAnnotation: OpaquePointer?
    private var insertAttribute: OpaquePointer?
    private var inTransaction = 0

    /// Creates the database at `path` and records the run.
    public init(path: String, unit: OffsetUnit, configuration: String, tool: String = "clinpipe") throws {
        self.unit = unit
        self.runID = 1
        try? FileManager.default.removeItem(atPath: path)
        guard sqlite3_open_v2(path, &database, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK else {
            let message = database.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close(database)
            database = nil
            throw SinkError("cannot create SQLite database \(path): \(message)")
        }
        try execute("""
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            CREATE TABLE runs (run_id INTEGER PRIMARY KEY, started TEXT NOT NULL, tool TEXT NOT NULL, offsets TEXT NOT NULL,
                               configuration TEXT NOT NULL);
            CREATE TABLE documents (run_id INTEGER NOT NULL, doc_key INTEGER NOT NULL, document_id TEXT NOT NULL,
                                    error TEXT, attributes TEXT, PRIMARY KEY (run_id, doc_key));
            CREATE TABLE annotations (run_id INTEGER NOT NULL, doc_key INTEGER NOT NULL, annotation_id INTEGER NOT NULL,
                                      type TEXT NOT NULL, begin INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL,
                                      stage TEXT NOT NULL, rule TEXT, attributes TEXT NOT NULL,
                                      PRIMARY KEY (run_id, doc_key, annotation_id));
            CREATE TABLE attributes (run_id INTEGER NOT NULL, doc_key INTEGER NOT NULL, annotation_id INTEGER NOT NULL,
                                     key TEXT NOT NULL, value);
            CREATE VIEW decisions AS
              SELECT d.document_id, a.annotation_id, a.begin, a."end",
                     json_extract(a.attributes, '$.item') AS item,
                     json_extract(a.attributes, '$.outcome') AS outcome,
                     json_extract(a.attributes, '$.partial') AS partial,
                     json_extract(a.attributes, '$.category') AS category,
                     json_extract(a.attributes, '$.rationale_conclusion') AS rationale_conclusion,
                     json_extract(a.attributes, '$.consistent') AS consistent,
                     a.attributes
              FROM annotations a JOIN documents d ON d.run_id = a.run_id AND d.doc_key = a.doc_key
              WHERE a.type = 'imr.decision';
            """)
        let started = ISO8601DateFormatter().string(from: Date())
        try execute("INSERT INTO runs VALUES (\(runID), '\(started)', '\(tool)', '\(unit.rawValue)', \(Self.literal(configuration)))")
        insertDocument = try prepare("INSERT INTO documents VALUES (?, ?, ?, ?, ?)")
        insertAnnotation = try prepare("INSERT INTO annotations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        insertAttribute = try prepare("INSERT INTO attributes VALUES (?, ?, ?, ?, ?)")
    }

    deinit { close() }

    public func prepare(_ result: DocumentResult) -> PreparedResult { .result(result) }

    public func write(_ prepared: PreparedResult) throws {
        guard case .result(let result) = prepared else { throw SinkError("SQLite output needs unencoded results") }
        if inTransaction == 0 { try execute("BEGIN") }
        inTransaction += 1
        documentKey += 1
        switch result {
        case .error(let id, let message):
            try insertDocumentRow(id: id, error: message, attributes: nil)
        case .document(let document):
            try insertDocumentRow(id: document.id, error: nil,
                                  attributes: document.attributes.isEmpty ? nil : JSONLEncoder.json(.object(document.attributes)))
            let converter = OffsetConverter(text: document.text, unit: unit)
            let offsets = converter.fromUTF8(document.annotations.flatMap { [$0.range.lowerBound, $0.range.upperBound] })
            for (index, annotation) in document.annotations.enumerated() {
                try bindAndStep(insertAnnotation, [
                    .int(runID), .int(documentKey), .int(annotation.id.rawValue), .text(annotation.type),
                    .int(offsets[2 * index]), .int(offsets[2 * index + 1]), .text(String(document.coveredText(of: annotation))),
                    .text(annotation.provenance.stage), annotation.provenance.rule.map { .text($0) } ?? .null,
                    .text(JSONLEncoder.json(.object(annotation.attributes))),
                ])
                for (key, value) in annotation.attributes {
                    try bindAndStep(insertAttribute, [.int(runID), .int(documentKey), .int(annotation.id.rawValue), .text(key), Self.sqlValue(value)])
                }
            }
        }
        if inTransaction >= 500 {
            try execute("COMMIT")
            inTransaction = 0
        }
    }

    public func finish() throws {
        if inTransaction > 0 { try execute("COMMIT"); inTransaction = 0 }
        try execute("CREATE INDEX annotations_type ON annotations (type); CREATE INDEX attributes_key ON attributes (key, value);")
        close()
    }

    private func close() {
        for statement in [insertDocument, insertAnnotation, insertAttribute] { sqlite3_finalize(statement) }
        insertDocument = nil
        insertAnnotation = nil
        insertAttribute = nil
        if let database { sqlite3_close(database) }
        database = nil
    }

    // MARK: - SQLite helpers

    private enum Value { case int(Int), double(Double), text(String), null }

    private static func sqlValue(_ value: AttributeValue) -> Value {
        switch value {
        case .string(let s): .text(s)
        case .int(let i): .int(i)
        case .double(let d): .double(d)
        case .bool(let b): .int(b ? 1 : 0)
        case .null: .null
        case .list, .object: .text(JSONLEncoder.json(value))
        }
    }

    private func insertDocumentRow(id: String, error: String?, attributes: String?) throws {
        try bindAndStep(insertDocument, [.int(runID), .int(documentKey), .text(id), error.map { .text($0) } ?? .null,
                                         attributes.map { .text($0) } ?? .null])
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private func bindAndStep(_ statement: OpaquePointer?, _ values: [Value]) throws {
        sqlite3_reset(statement)
        for (index, value) in values.enumerated() {
            let position = Int32(index + 1)
            switch value {
            case .int(let i): sqlite3_bind_int64(statement, position, Int64(i))
            case .double(let d): sqlite3_bind_double(statement, position, d)
            case .text(let s): sqlite3_bind_text(statement, position, s, -1, Self.transient)
            case .null: sqlite3_bind_null(statement, position)
            }
        }
        guard sqlite3_step(statement) == SQLITE_DONE else { throw SinkError("SQLite insert failed: \(errorMessage)") }
    }

    private func prepare(_ sql: String) throws -> OpaquePointer? {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(database, sql, -1, &statement, nil) == SQLITE_OK else {
            throw SinkError("SQLite prepare failed: \(errorMessage)")
        }
        return statement
    }

    private func execute(_ sql: String) throws {
        guard sqlite3_exec(database, sql, nil, nil, nil) == SQLITE_OK else { throw SinkError("SQLite failed: \(errorMessage)") }
    }

    private var errorMessage: String { database.map { String(cString: sqlite3_errmsg($0)) } ?? "database closed" }

    private static func literal(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
}
