import Foundation

/// The process's resident memory, from `/proc/self/status` (Linux). All values in bytes; nil elsewhere.
public enum ProcessMemory {
    /// Peak resident set size (`VmHWM`).
    public static func peakResidentBytes() -> Int? { statusField("VmHWM:") }

    /// Current resident set size (`VmRSS`).
    public static func residentBytes() -> Int? { statusField("VmRSS:") }

    /// Resets the peak to the current resident size (writes `5` to `/proc/self/clear_refs`), so that two runs in
    /// one process each report their own peak. Returns false when the kernel does not allow it.
    @discardableResult
    public static func resetPeak() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        do { try handle.write(contentsOf: Data("5".utf8)) } catch { return false }
        return true
    }

    /// Milliseconds from the process's start (`/proc/self/stat` field 22, in clock ticks) to now; the
    /// resolution is one clock tick (usually 10 ms).
    public static func millisecondsSinceProcessStart() -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let uptimeText = try? String(contentsOfFile: "/proc/uptime", encoding: .utf8),
              let uptime = Double(uptimeText.split(separator: " ").first ?? ""),
              let close = stat.lastIndex(of: ")")
        else { return nil }
        // Fields after the command name (which may contain spaces) start at field 3.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19, let ticks = Double(fields[19]) else { return nil }
        let hertz = Double(sysconf(Int32(_SC_CLK_TCK)))
        return max(0, (uptime - ticks / hertz) * 1000)
    }

    private static func statusField(_ name: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(name) {
            let number = line.dropFirst(name.count).split(whereSeparator: { $0 == " " || $0 == "\t" }).first.flatMap { Int($0) }
            return number.map { $0 * 1024 }  // the kernel reports kB
        }
        return nil
    }
}
