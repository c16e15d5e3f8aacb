import Foundation

/// Text of PDF files through poppler's `pdftotext` (Debian package `poppler-utils`), run as a child process with
/// UTF-8 output and no layout mode. The PDF and its text stay on this machine; nothing is logged.
public enum PDFText {
    /// The `pdftotext` executable, if installed.
    public static let executable: URL? = {
        for directory in ["/usr/bin", "/usr/local/bin", "/opt/homebrew/bin", "/bin"] {
            let url = URL(fileURLWithPath: directory).appendingPathComponent("pdftotext")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return nil
    }()

    /// The text of the PDF at `url`, or why it could not be extracted.
    public static func extract(_ url: URL, maximumBytes: Int) -> Result<String, RecordError> {
        guard let executable else {
            return .failure(RecordError("PDF input needs pdftotext (install poppler-utils)"))
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = ["-enc", "UTF-8", "-q", url.path, "-"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch {
            return .failure(RecordError("cannot run pdftotext: \(error.localizedDescription)"))
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            return .failure(RecordError("pdftotext failed with status \(process.terminationStatus) (damaged or protected PDF?)"))
        }
        return TextDecoding.decode(data, maximumBytes: maximumBytes)
    }
}
