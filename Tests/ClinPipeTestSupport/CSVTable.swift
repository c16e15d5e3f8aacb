/// A small RFC 4180 reader for the development corpora's CSV files (quoted fields may hold commas, quotes and line
/// breaks), for tests only.
public struct CSVTable {
    public let header: [String]
    public let rows: [[String]]

    public init(_ text: String) {
        var records: [[String]] = []
        var record: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        var i = 0
        func endField() {
            record.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        }
        while i < bytes.count {
            let byte = bytes[i]
            if quoted {
                if byte == 0x22 {
                    if i + 1 < bytes.count && bytes[i + 1] == 0x22 { field.append(0x22); i += 1 } else { quoted = false }
                } else {
                    field.append(byte)
                }
            } else if byte == 0x22 {
                quoted = true
            } else if byte == 0x2C {
                endField()
            } else if byte == 0x0A || byte == 0x0D {
                if byte == 0x0D && i + 1 < bytes.count && bytes[i + 1] == 0x0A { i += 1 }
                endField()
                records.append(record)
                record = []
            } else {
                field.append(byte)
            }
            i += 1
        }
        if !field.isEmpty || !record.isEmpty { endField(); records.append(record) }
        header = records.first ?? []
        rows = Array(records.dropFirst())
    }

    /// Rows as dictionaries by column name.
    public var dictionaries: [[String: String]] {
        rows.map { row in
            var dictionary: [String: String] = [:]
            for (index, name) in header.enumerated() where index < row.count { dictionary[name] = row[index] }
            return dictionary
        }
    }
}
