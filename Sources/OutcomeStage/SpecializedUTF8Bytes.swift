extension String {
    /// Calls `body` with the string's UTF-8 bytes, contiguous, without copying native strings: ClinPipeCore's
    /// `withUTF8Bytes`, compiled in this module so that each call is specialized for `R` (the public generic one
    /// looks up `Optional<R>`'s metadata on every call, a few hundred instructions on the stage's short texts).
    @inline(__always)
    func withSpecializedUTF8Bytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if let result = try utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        return try copy.withUTF8(body)
    }
}
