extension KeyedDecodingContainer {
    /// The value for `key`, or `fallback` when the key is absent: configurations written by hand (or by an older
    /// version) may leave out any field, which then keeps its default.
    func value<T: Decodable>(_ key: Key, default fallback: @autoclosure () -> T) throws -> T {
        try decodeIfPresent(T.self, forKey: key) ?? fallback()
    }
}
