import CByteScan
import Foundation

/// A JSON value: the form in which pipeline files and stage configurations travel before they are decoded into
/// each stage's `Configuration`.
public enum JSONValue: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    /// Keys keep their order.
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let b): hasher.combine(b)
        case .number(let n): hasher.combine(n)
        case .string(let s): hasher.combine(s)
        case .array(let a): hasher.combine(a)
        case .object(let o): for (k, v) in o { hasher.combine(k); hasher.combine(v) }
        }
    }

    /// The value for `key` if this is an object.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let pairs) = self else { return nil }
        return pairs.first { $0.0 == key }?.1
    }

    public var objectPairs: [(String, JSONValue)]? { if case .object(let p) = self { return p } else { return nil } }
    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }

    /// Parses JSON text.
    public static func parse(_ data: Data) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: data)
    }

    public init(from decoder: Decoder) throws {
        if var array = try? decoder.unkeyedContainer() {
            var values: [JSONValue] = []
            while !array.isAtEnd { values.append(try array.decode(JSONValue.self)) }
            self = .array(values)
            return
        }
        if let object = try? decoder.container(keyedBy: AnyKey.self) {
            self = .object(try object.allKeys.map { ($0.stringValue, try object.decode(JSONValue.self, forKey: $0)) }
                .sorted { $0.0 < $1.0 })
            return
        }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() { self = .null }
        else if let b = try? single.decode(Bool.self) { self = .bool(b) }
        else if let n = try? single.decode(Double.self) { self = .number(n) }
        else { self = .string(try single.decode(String.self)) }
    }

    public func encode(to encoder: Encoder) throws {
        switch self {
        case .null: var c = encoder.singleValueContainer(); try c.encodeNil()
        case .bool(let b): var c = encoder.singleValueContainer(); try c.encode(b)
        case .number(let n): var c = encoder.singleValueContainer(); try c.encode(n)
        case .string(let s): var c = encoder.singleValueContainer(); try c.encode(s)
        case .array(let a): var c = encoder.unkeyedContainer(); for v in a { try c.encode(v) }
        case .object(let o):
            var c = encoder.container(keyedBy: AnyKey.self)
            for (k, v) in o { try c.encode(v, forKey: AnyKey(k)) }
        }
    }

    /// Serializes as JSON text; `pretty` indents by two spaces.
    public func serialized(pretty: Bool = false) -> String {
        var out = ""
        write(to: &out, pretty: pretty, indent: 0)
        return out
    }

    private func write(to out: inout String, pretty: Bool, indent: Int) {
        let newline = pretty ? "\n" : ""
        func pad(_ n: Int) -> String { pretty ? String(repeating: "  ", count: n) : "" }
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n):
            if n.isFinite, n == n.rounded(), abs(n) < 1e15 { out += String(Int(n)) } else if n.isFinite { out += String(n) } else { out += "null" }
        case .string(let s): out += JSONText.quoted(s)
        case .array(let a):
            if a.isEmpty { out += "[]"; return }
            out += "[" + newline
            for (i, v) in a.enumerated() {
                out += pad(indent + 1)
                v.write(to: &out, pretty: pretty, indent: indent + 1)
                out += (i + 1 < a.count ? "," : "") + newline
            }
            out += pad(indent) + "]"
        case .object(let o):
            if o.isEmpty { out += "{}"; return }
            out += "{" + newline
            for (i, (k, v)) in o.enumerated() {
                out += pad(indent + 1) + JSONText.quoted(k) + (pretty ? ": " : ":")
                v.write(to: &out, pretty: pretty, indent: indent + 1)
                out += (i + 1 < o.count ? "," : "") + newline
            }
            out += pad(indent) + "}"
        }
    }
}

struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { return nil }
}

/// JSON string quoting shared by every writer.
public enum JSONText {
    /// `value` as a JSON string literal: quotes, backslashes and control characters escaped; other characters
    /// (including non-ASCII) written as UTF-8.
    public static func quoted(_ value: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(value.utf8.count + 2)
        appendQuoted(value, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `value` as a JSON string literal to `bytes`.
    public static func appendQuoted(_ value: String, to bytes: inout [UInt8]) {
        value.withUTF8Bytes { appendQuoted($0, to: &bytes) }
    }

    /// Appends `value` as a JSON string literal to `bytes`.
    public static func appendQuoted(_ value: Substring, to bytes: inout [UInt8]) {
        if let done: Void = value.utf8.withContiguousStorageIfAvailable({ appendQuoted($0, to: &bytes) }) { return done }
        appendQuoted(String(value), to: &bytes)
    }

    /// Appends UTF-8 bytes (valid UTF-8) as a JSON string literal (see `JSONBuffer.appendQuoted`).
    public static func appendQuoted(_ value: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) {
        var buffer = JSONBuffer(capacity: value.count + 16)
        buffer.appendQuoted(value)
        buffer.withBytes { bytes.append(contentsOf: $0) }
    }

    /// The first offset at or after `start` (and before `count`) whose byte JSON escapes: a control character,
    /// `"`, `\\` or DEL; `count` when there is none. For readers of JSON strings (DEL may also stand unescaped
    /// in JSON text: a reader steps over it). Sixteen bytes at a time (`cbs_next_json_escape`).
    public static func nextEscapedByte(in base: UnsafePointer<UInt8>, from start: Int, count: Int) -> Int {
        guard start < count else { return count }
        return start + cbs_next_json_escape(base + start, count - start)
    }
}
