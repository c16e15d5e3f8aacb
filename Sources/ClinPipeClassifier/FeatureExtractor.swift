import Foundation
import ClinPipeText

/// A fitted feature space: turns a text into a `SparseVector` of n-gram features, as `configuration` says.
///
/// Fitted once from the training texts (`fit`), then immutable and `Sendable`: one extractor serves every thread.
/// Columns are numbered 0..<`featureCount`; in vocabulary mode column c is the n-gram `vocabulary[c]` (tokens
/// joined by one space), in hashed mode column c is the bucket `buckets[c]`. N-grams not seen in training are
/// ignored at prediction time.
///
/// Lookups use the n-grams' stable 64-bit keys (`FeatureHash`), so prediction builds no strings. In vocabulary
/// mode two different n-grams with the same 64-bit key would share a column (probability about n²/2^65 for n
/// distinct n-grams: negligible).
public struct FeatureExtractor: Sendable {
    public let configuration: FeatureConfiguration
    /// Vocabulary mode: the n-gram of each column, in byte order. Empty in hashed mode.
    public let vocabulary: [String]
    /// Hashed mode: the bucket of each column, ascending. Empty in vocabulary mode.
    public let buckets: [UInt64]
    /// TF-IDF weighting: the inverse document frequency of each column. Empty for other weightings.
    public let inverseDocumentFrequency: [Double]
    /// The number of training texts the space was fitted on.
    public let trainingDocumentCount: Int

    let tokenizer: Tokenizer
    private let columns: KeyTable

    /// The number of columns.
    public var featureCount: Int { configuration.space == .vocabulary ? vocabulary.count : buckets.count }

    private var bucketMask: UInt64 { (UInt64(1) << UInt64(configuration.hashBits)) - 1 }

    /// Builds the feature space of `texts` (the training texts).
    /// - Throws: `ClassifierError.invalidConfiguration` when the configuration is invalid.
    public static func fit(_ configuration: FeatureConfiguration, texts: [String]) throws -> FeatureExtractor {
        let problems = configuration.problems
        if !problems.isEmpty { throw ClassifierError.invalidConfiguration(problems) }
        let tokenizer = Tokenizer(configuration: configuration.tokenizer)
        let maximumN = configuration.maximumNGram
        let hashed = configuration.space == .hashed
        let mask = (UInt64(1) << UInt64(configuration.hashBits)) - 1
        var documentFrequency: [UInt64: Int] = [:]
        var names: [UInt64: String] = [:]
        var seen = Set<UInt64>()
        var tokens: [String] = []
        var keys: [UInt64] = []
        for text in texts {
            seen.removeAll(keepingCapacity: true)
            tokens.removeAll(keepingCapacity: true)
            keys.removeAll(keepingCapacity: true)
            tokenizer.forEachToken(inText: text) { token, key in
                if !hashed { tokens.append(String(decoding: token, as: UTF8.self)) }
                keys.append(key)
            }
            for start in keys.indices {
                var key: UInt64 = 0
                for length in 1...maximumN where start + length <= keys.count {
                    key = length == 1 ? keys[start] : FeatureHash.combine(key, keys[start + length - 1])
                    let feature = hashed ? key & mask : key
                    guard seen.insert(feature).inserted else { continue }
                    documentFrequency[feature, default: 0] += 1
                    if !hashed && names[feature] == nil {
                        names[feature] = tokens[start..<(start + length)].joined(separator: " ")
                    }
                }
            }
        }
        let minimum = configuration.minimumDocumentFrequency
        var vocabulary: [String] = []
        var buckets: [UInt64] = []
        var frequencies: [Int] = []
        if hashed {
            buckets = documentFrequency.filter { $0.value >= minimum }.keys.sorted()
            frequencies = buckets.map { documentFrequency[$0]! }
        } else {
            var kept = documentFrequency.filter { $0.value >= minimum }.map { (name: names[$0.key]!, frequency: $0.value) }
            if configuration.maximumVocabularySize > 0 && kept.count > configuration.maximumVocabularySize {
                kept.sort { $0.frequency != $1.frequency ? $0.frequency > $1.frequency : bytesPrecede($0.name, $1.name) }
                kept.removeLast(kept.count - configuration.maximumVocabularySize)
            }
            kept.sort { bytesPrecede($0.name, $1.name) }
            vocabulary = kept.map(\.name)
            frequencies = kept.map(\.frequency)
        }
        var idf: [Double] = []
        if configuration.weighting == .tfidf {
            let n = Double(texts.count)
            idf = frequencies.map { log((1 + n) / (1 + Double($0))) + 1 }
        }
        return try FeatureExtractor(configuration: configuration, vocabulary: vocabulary, buckets: buckets,
                                    inverseDocumentFrequency: idf, trainingDocumentCount: texts.count)
    }

    /// Rebuilds a fitted space from its stored parts (as in a saved model).
    /// - Throws: `ClassifierError.invalidModel` when the parts do not fit together.
    public init(configuration: FeatureConfiguration, vocabulary: [String], buckets: [UInt64],
                inverseDocumentFrequency: [Double], trainingDocumentCount: Int) throws
    {
        var problems = configuration.problems
        let tokenizer = Tokenizer(configuration: configuration.tokenizer)
        var columns = KeyTable(minimumCapacity: configuration.space == .vocabulary ? vocabulary.count : buckets.count)
        switch configuration.space {
        case .vocabulary:
            if !buckets.isEmpty { problems.append("a vocabulary feature space has no buckets") }
            for (column, ngram) in vocabulary.enumerated() {
                let parts = ngram.split(separator: " ", omittingEmptySubsequences: false)
                guard (1...max(configuration.maximumNGram, 1)).contains(parts.count), !parts.contains(where: \.isEmpty) else {
                    problems.append("vocabulary entry \(column) is not an n-gram of at most \(configuration.maximumNGram) tokens")
                    continue
                }
                var key = FeatureHash.token(Array(parts[0].utf8))
                for part in parts.dropFirst() { key = FeatureHash.combine(key, FeatureHash.token(Array(part.utf8))) }
                if !columns.insert(key, column: Int32(column)) {
                    problems.append("vocabulary entry \(column) repeats an earlier entry (or collides with one)")
                }
            }
        case .hashed:
            if !vocabulary.isEmpty { problems.append("a hashed feature space has no vocabulary") }
            let limit = UInt64(1) << UInt64(min(max(configuration.hashBits, 0), 30))
            for (column, bucket) in buckets.enumerated() {
                if bucket >= limit { problems.append("bucket \(bucket) is outside 2^\(configuration.hashBits)") }
                if !columns.insert(bucket, column: Int32(column)) { problems.append("bucket \(bucket) repeats") }
            }
        }
        let count = configuration.space == .vocabulary ? vocabulary.count : buckets.count
        if count > Int(Int32.max) { problems.append("too many features") }
        if configuration.weighting == .tfidf {
            if inverseDocumentFrequency.count != count {
                problems.append("\(inverseDocumentFrequency.count) inverse document frequencies for \(count) features")
            }
            if inverseDocumentFrequency.contains(where: { !$0.isFinite }) { problems.append("an inverse document frequency is not finite") }
        } else if !inverseDocumentFrequency.isEmpty {
            problems.append("inverse document frequencies without TF-IDF weighting")
        }
        if !problems.isEmpty { throw ClassifierError.invalidModel(problems) }
        self.configuration = configuration
        self.vocabulary = vocabulary
        self.buckets = buckets
        self.inverseDocumentFrequency = inverseDocumentFrequency
        self.trainingDocumentCount = trainingDocumentCount
        self.tokenizer = tokenizer
        self.columns = columns
    }

    /// The feature vector of `text`.
    public func vector(for text: String) -> SparseVector {
        text.withUTF8Bytes { vector(for: $0) }
    }

    /// The feature vector of UTF-8 `bytes` (for example a span of a document's layer).
    public func vector(for bytes: UnsafeBufferPointer<UInt8>) -> SparseVector {
        var keys: [UInt64] = []
        tokenizer.appendTokenKeys(in: bytes, to: &keys)
        var hits: [Int32] = []
        hits.reserveCapacity(keys.count * configuration.maximumNGram)
        let maximumN = configuration.maximumNGram
        let hashed = configuration.space == .hashed
        let mask = bucketMask
        for start in keys.indices {
            var key: UInt64 = 0
            for length in 1...maximumN where start + length <= keys.count {
                key = length == 1 ? keys[start] : FeatureHash.combine(key, keys[start + length - 1])
                let column = columns.column(of: hashed ? key & mask : key)
                if column >= 0 { hits.append(column) }
            }
        }
        guard !hits.isEmpty else { return SparseVector() }
        Self.radixSort(&hits, featureCount: featureCount)
        var indices: [Int32] = []
        var values: [Double] = []
        var index = 0
        while index < hits.count {
            let column = hits[index]
            var count = 0
            while index < hits.count && hits[index] == column { count += 1; index += 1 }
            indices.append(column)
            values.append(weight(count: count, column: Int(column)))
        }
        if configuration.l2Normalize {
            var sum = 0.0
            for value in values { sum += value * value }
            if sum > 0 {
                let scale = 1 / sum.squareRoot()
                for entry in values.indices { values[entry] *= scale }
            }
        }
        return SparseVector(indices: indices, values: values)
    }

    /// Sorts non-negative column numbers below `featureCount` ascending: a least-significant-digit radix sort by
    /// bytes (as many passes as `featureCount` needs), much cheaper than a comparison sort for a text's few
    /// hundred columns.
    static func radixSort(_ values: inout [Int32], featureCount: Int) {
        guard values.count > 1 else { return }
        if values.count < 32 {
            values.sort()
            return
        }
        var passes = 1
        while passes < 4 && featureCount > 1 << (8 * passes) { passes += 1 }
        var buffer = [Int32](repeating: 0, count: values.count)
        values.withUnsafeMutableBufferPointer { source in
            buffer.withUnsafeMutableBufferPointer { target in
                var from = source, to = target
                withUnsafeTemporaryAllocation(of: Int.self, capacity: 256) { counts in
                    for pass in 0..<passes {
                        let shift = Int32(8 * pass)
                        for digit in 0..<256 { counts[digit] = 0 }
                        for value in from { counts[Int((value >> shift) & 0xFF)] += 1 }
                        var total = 0
                        for digit in 0..<256 {
                            let count = counts[digit]
                            counts[digit] = total
                            total += count
                        }
                        for value in from {
                            let digit = Int((value >> shift) & 0xFF)
                            to[counts[digit]] = value
                            counts[digit] += 1
                        }
                        swap(&from, &to)
                    }
                }
                // After an odd number of passes the sorted values are in the buffer.
                if passes % 2 == 1 {
                    for index in 0..<source.count { source[index] = target[index] }
                }
            }
        }
    }

    @inline(__always) private func weight(count: Int, column: Int) -> Double {
        let tf: Double
        switch configuration.weighting {
        case .binary: return 1
        case .count, .tfidf: tf = configuration.sublinearTF ? 1 + log(Double(count)) : Double(count)
        }
        return configuration.weighting == .tfidf ? tf * inverseDocumentFrequency[column] : tf
    }

    /// A readable name of a column: its n-gram, or `#bucket` in hashed mode.
    public func featureName(_ column: Int) -> String {
        configuration.space == .vocabulary ? vocabulary[column] : "#\(buckets[column])"
    }
}

extension FeatureExtractor: Codable {
    enum CodingKeys: String, CodingKey { case configuration, vocabulary, buckets, inverseDocumentFrequency, trainingDocumentCount }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            configuration: try container.decode(FeatureConfiguration.self, forKey: .configuration),
            vocabulary: try container.value(.vocabulary, default: []),
            buckets: try container.value(.buckets, default: []),
            inverseDocumentFrequency: try container.value(.inverseDocumentFrequency, default: []),
            trainingDocumentCount: try container.value(.trainingDocumentCount, default: 0))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(configuration, forKey: .configuration)
        if configuration.space == .vocabulary { try container.encode(vocabulary, forKey: .vocabulary) }
        if configuration.space == .hashed { try container.encode(buckets, forKey: .buckets) }
        if configuration.weighting == .tfidf { try container.encode(inverseDocumentFrequency, forKey: .inverseDocumentFrequency) }
        try container.encode(trainingDocumentCount, forKey: .trainingDocumentCount)
    }
}

/// Byte order of the UTF-8 encodings (locale-independent and the same on every platform).
func bytesPrecede(_ first: String, _ second: String) -> Bool {
    first.utf8.lexicographicallyPrecedes(second.utf8)
}
