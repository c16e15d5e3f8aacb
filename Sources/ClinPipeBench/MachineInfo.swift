import Foundation

/// What the machine was doing when a measurement was taken: throughput numbers mean little without it.
public struct MachineInfo: Sendable {
    /// Processors configured and currently active.
    public var processors: Int
    public var activeProcessors: Int
    /// The 1, 5 and 15 minute load averages from `/proc/loadavg` (nil where it does not exist).
    public var loadAverage: (Double, Double, Double)?
    /// The CPU model from `/proc/cpuinfo`, if readable.
    public var cpuModel: String?
    public var physicalMemoryBytes: UInt64

    public static func current() -> MachineInfo {
        var info = MachineInfo(processors: ProcessInfo.processInfo.processorCount,
                               activeProcessors: ProcessInfo.processInfo.activeProcessorCount,
                               loadAverage: nil, cpuModel: nil,
                               physicalMemoryBytes: ProcessInfo.processInfo.physicalMemory)
        if let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) {
            let fields = text.split(separator: " ").prefix(3).compactMap { Double($0) }
            if fields.count == 3 { info.loadAverage = (fields[0], fields[1], fields[2]) }
        }
        if let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
           let line = text.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
           let colon = line.firstIndex(of: ":")
        {
            info.cpuModel = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return info
    }

    /// A warning when other work competes for the processors: the one-minute load is at least half the active
    /// processors (before the measurement starts, the benchmark itself adds nothing).
    public var loadWarning: String? {
        guard let load = loadAverage?.0 else { return nil }
        if load >= Double(activeProcessors) * 0.5 {
            return String(format: "load average %.2f on %d cores: other work is running, figures will be low and noisy", load, activeProcessors)
        }
        return nil
    }
}
