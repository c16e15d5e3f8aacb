import Foundation

/// Multinomial naive Bayes in closed form.
///
/// With w_c the class weight and x_i the feature vector of example i: the count of feature f in class c is
/// n_cf = Σ_{i in c} w_c · x_if; its log likelihood is log((n_cf + α) / (Σ_f n_cf + α·F)) with smoothing α
/// over F features; the log prior is log(m_c / Σ m) with class mass m_c = Σ_{i in c} w_c (or log(1/K) without
/// fitted priors).
enum NaiveBayesFitter {
    static func fit(_ data: TrainingSet, options: NaiveBayesOptions) -> (bias: [Double], weights: [[Double]]) {
        let classCount = data.classCount, featureCount = data.featureCount
        var counts = [[Double]](repeating: [Double](repeating: 0, count: featureCount), count: classCount)
        var mass = [Double](repeating: 0, count: classCount)
        for row in 0..<data.rowCount {
            let classIndex = data.classes[row], weight = data.weights[row]
            mass[classIndex] += weight
            for entry in data.rowStart[row]..<data.rowStart[row + 1] {
                counts[classIndex][Int(data.columns[entry])] += weight * data.values[entry]
            }
        }
        let alpha = options.smoothing
        let totalMass = mass.reduce(0, +)
        var bias = [Double](repeating: 0, count: classCount)
        var weights = counts
        for classIndex in 0..<classCount {
            bias[classIndex] = options.fitPriors ? log(mass[classIndex] / totalMass) : -log(Double(classCount))
            let total = counts[classIndex].reduce(0, +)
            let denominator = log(total + alpha * Double(featureCount))
            for feature in 0..<featureCount {
                weights[classIndex][feature] = log(counts[classIndex][feature] + alpha) - denominator
            }
        }
        return (bias, weights)
    }
}
