import Foundation

/// L2-regularized logistic regression, full batch.
///
/// Objective: (1/W) Σ_i c_i · (−log p(y_i | x_i)) + (λ/2) Σ ‖w_m‖², with c_i the example's class weight,
/// W = Σ c_i, and unpenalized biases. Two labels: one weight vector and the logistic function (the score of the
/// first label is 0). More labels: one weight vector per label and the softmax. Starts from zero and runs in a
/// fixed order, so it is deterministic.
enum LogisticRegressionFitter {
    struct Fit {
        var bias: [Double]
        var weights: [[Double]]
        var iterations: Int
        var converged: Bool
        var objective: Double
    }

    static func fit(_ data: TrainingSet, options: LogisticRegressionOptions) -> Fit {
        let featureCount = data.featureCount, classCount = data.classCount
        let rows = classCount == 2 ? 1 : classCount
        let stride = featureCount + 1   // each row: the feature weights, then the bias
        let totalWeight = data.weights.reduce(0, +)
        let lambda = options.l2
        let objective: ([Double], inout [Double]) -> Double = { parameters, gradient in
            var loss = 0.0
            var scores = [Double](repeating: 0, count: rows)
            var residuals = [Double](repeating: 0, count: rows)
            parameters.withUnsafeBufferPointer { p in
            gradient.withUnsafeMutableBufferPointer { g in
            data.rowStart.withUnsafeBufferPointer { rowStart in
            data.columns.withUnsafeBufferPointer { columns in
            data.values.withUnsafeBufferPointer { values in
            data.classes.withUnsafeBufferPointer { classes in
            data.weights.withUnsafeBufferPointer { weights in
                for index in 0..<g.count { g[index] = 0 }
                for row in 0..<classes.count {
                    let weight = weights[row]
                    if weight == 0 { continue }
                    let begin = rowStart[row], end = rowStart[row + 1]
                    let target = classes[row]
                    for m in 0..<rows {
                        let base = m * stride
                        var score = p[base + featureCount]
                        for entry in begin..<end { score += values[entry] * p[base + Int(columns[entry])] }
                        scores[m] = score
                    }
                    let scale = weight / totalWeight
                    if rows == 1 {
                        // Binary: p(second label) = σ(s); loss = softplus(s) − t·s.
                        let s = scores[0]
                        let t = target == 1 ? 1.0 : 0.0
                        let softplus = s > 0 ? s + log1p(exp(-s)) : log1p(exp(s))
                        loss += scale * (softplus - t * s)
                        let sigma = s >= 0 ? 1 / (1 + exp(-s)) : exp(s) / (1 + exp(s))
                        residuals[0] = sigma - t
                    } else {
                        var maximum = scores[0]
                        for m in 1..<rows { maximum = max(maximum, scores[m]) }
                        var sum = 0.0
                        for m in 0..<rows {
                            residuals[m] = exp(scores[m] - maximum)
                            sum += residuals[m]
                        }
                        loss += scale * (maximum + log(sum) - scores[target])
                        for m in 0..<rows { residuals[m] = residuals[m] / sum - (m == target ? 1 : 0) }
                    }
                    for m in 0..<rows {
                        let residual = scale * residuals[m]
                        if residual == 0 { continue }
                        let base = m * stride
                        for entry in begin..<end { g[base + Int(columns[entry])] += residual * values[entry] }
                        g[base + featureCount] += residual
                    }
                }
                if lambda > 0 {
                    var penalty = 0.0
                    for m in 0..<rows {
                        let base = m * stride
                        for feature in 0..<featureCount {
                            let w = p[base + feature]
                            penalty += w * w
                            g[base + feature] += lambda * w
                        }
                    }
                    loss += 0.5 * lambda * penalty
                }
            }
            }
            }
            }
            }
            }
            }
            return loss
        }
        let minimizer = LBFGSMinimizer(
            memory: options.optimizer == .lbfgs ? options.memory : 0,
            maximumIterations: options.maximumIterations,
            gradientTolerance: options.gradientTolerance,
            initialStep: options.optimizer == .lbfgs ? 1 : options.learningRate)
        let result = minimizer.minimize(from: [Double](repeating: 0, count: rows * stride), objective)
        var bias = [Double](repeating: 0, count: classCount)
        var weights = [[Double]](repeating: [Double](repeating: 0, count: featureCount), count: classCount)
        if rows == 1 {
            // Symmetric storage: scores ±s/2 give the same softmax as (0, s).
            bias[1] = result.point[featureCount] / 2
            bias[0] = -bias[1]
            for feature in 0..<featureCount {
                weights[1][feature] = result.point[feature] / 2
                weights[0][feature] = -weights[1][feature]
            }
        } else {
            for m in 0..<rows {
                bias[m] = result.point[m * stride + featureCount]
                weights[m] = Array(result.point[(m * stride)..<(m * stride + featureCount)])
            }
        }
        return Fit(bias: bias, weights: weights, iterations: result.iterations, converged: result.converged,
                   objective: result.value)
    }
}
