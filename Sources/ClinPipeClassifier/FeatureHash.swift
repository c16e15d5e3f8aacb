import ClinPipeCore

/// Stable 64-bit hashes of tokens and n-grams.
///
/// Feature keys must be the same in every process, on every platform and in every future version of the
/// library (a saved model depends on them), so they cannot come from Swift's `Hasher` (seeded per process).
/// A token's key is FNV-1a 64 over its normalized UTF-8 bytes, spread with the SplitMix64 finalizer; an n-gram's
/// key combines its tokens' keys in order, so "back pain" and "pain back" differ.
///
/// Changing anything here changes every saved model's features: bump `TextClassifier.formatVersion` if you do.
public enum FeatureHash {
    static let offsetBasis: UInt64 = 0xCBF2_9CE4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01B3

    /// The key of one token given as normalized UTF-8 bytes.
    @inline(__always) public static func token<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        var hash = offsetBasis
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= prime
        }
        return SplitMix64.mix(hash)
    }

    /// The key of one token string (already normalized as the tokenizer would).
    public static func token(_ string: String) -> UInt64 { token(Array(string.utf8)) }

    /// The key of the n-gram made of `prefix` (a token or an n-gram key) followed by the token `next`.
    @inline(__always) public static func combine(_ prefix: UInt64, _ next: UInt64) -> UInt64 {
        SplitMix64.mix((prefix &* 0x9E37_79B9_7F4A_7C15) ^ (next &+ 0x632B_E59B_D9B4_E019))
    }
}
