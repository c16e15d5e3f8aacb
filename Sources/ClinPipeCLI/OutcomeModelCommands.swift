import ArgumentParser
import ClinPipeClassifier
import ClinPipeCore
import ClinPipeIO
import ClinPipeStages
import Foundation
import OutcomeStage

/// Options shared by `train outcome` and `evaluate outcome`: where the letters and their labels are, which text
/// the classifier reads and which algorithm learns.
struct OutcomeDataOptions: ParsableArguments {
    @Argument(help: "The letters: folders of .txt files, .jsonl or .csv files, as for 'run'.")
    var inputs: [String]

    @Option(name: .long, help: ArgumentHelp("Labels: a CSV with columns case_number (the document id's last path component), item_index (1-based) and outcome (Upheld or Overturned).", valueName: "CSV"))
    var labels: String

    @Option(name: .long, help: "The text to learn from: rationale (masked decision phrases) or summary (the clinical case summary).")
    var source: OutcomeTexts.Source = .rationale

    @Option(name: .long, help: "naive-bayes or logistic-regression.")
    var algorithm: AlgorithmChoice = .logisticRegression

    @Flag(name: .long, inversion: .prefixedNo, help: "Weight classes inversely to their frequency (overturned items are rare).")
    var balanceClasses = true

    enum AlgorithmChoice: String, ExpressibleByArgument, CaseIterable {
        case naiveBayes = "naive-bayes", logisticRegression = "logistic-regression"
    }

    var trainer: TextClassifierTrainer {
        var configuration = TrainerConfiguration(algorithm: algorithm == .naiveBayes ? .naiveBayes : .logisticRegression)
        configuration.balanceClasses = balanceClasses
        return TextClassifierTrainer(configuration: configuration)
    }

    /// Labelled texts, grouped by letter, in input order; letters or items without a label are skipped and counted.
    func examples() throws -> (examples: [LabeledText], unlabeled: Int) {
        let labelTable = try readLabels()
        let pipeline = try Pipeline(configuration: PipelineConfiguration(stageNames: ["normalize", "sentences", "sections"]),
                                    registry: ClinPipeCommand.registry)
        let masker = try DecisionMasker.builtIn()
        let documents = ConcatenatedSource(try inputs.map { try SourceOptions().openSource($0) })
        var examples: [LabeledText] = []
        var unlabeled = 0
        while let record = try documents.next()?.resolved() {
            guard case .success(let input) = record.content else { continue }
            var document = try input.makeDocument(unit: .codepoint)
            try pipeline.process(&document)
            let key = record.id.split(separator: "/").last.map(String.init) ?? record.id
            for item in try OutcomeTexts.items(of: document, masker: masker) {
                guard let label = labelTable[key]?[item.index] else { unlabeled += 1; continue }
                let text = item.text(self.source)
                if text.isEmpty { unlabeled += 1; continue }
                examples.append(LabeledText(text: text, label: label, group: key))
            }
        }
        return (examples, unlabeled)
    }

    /// case number → item index → lowercased outcome.
    private func readLabels() throws -> [String: [Int: String]] {
        let reader = try CSVRecordReader(path: labels)
        guard let header = try reader.nextRecord()?.fields else { throw ValidationError("\(labels): empty CSV") }
        func column(_ names: [String]) throws -> Int {
            guard let index = header.firstIndex(where: { names.contains($0.lowercased()) }) else {
                throw ValidationError("\(labels): no column \(names.joined(separator: " or ")) (columns: \(header.joined(separator: ", ")))")
            }
            return index
        }
        let caseColumn = try column(["case_number", "id", "document_id"])
        let itemColumn = try column(["item_index", "index"])
        let outcomeColumn = try column(["outcome", "label"])
        var table: [String: [Int: String]] = [:]
        while let record = try reader.nextRecord() {
            let fields = record.fields
            guard record.problem == nil, fields.count == header.count, let index = Int(fields[itemColumn]) else { continue }
            table[fields[caseColumn], default: [:]][index] = fields[outcomeColumn].trimmingCharacters(in: .whitespaces).lowercased()
        }
        return table
    }
}

extension OutcomeTexts.Source: ExpressibleByArgument {}

/// `clinpipe train outcome`
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train", abstract: "Train models used by stages.", subcommands: [TrainOutcome.self])

    struct TrainOutcome: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "outcome",
            abstract: "Train an upheld/overturned classifier on IMR letters (masked rationales or case summaries).",
            discussion: "Use the model with the outcome stage's `model` (rationale) or `summaryModel` (summary) configuration key. Training is deterministic.")

        @OptionGroup var data: OutcomeDataOptions

        @Option(name: .long, help: ArgumentHelp("Where to write the model (JSON).", valueName: "MODEL"))
        var out: String

        func run() throws {
            let (examples, unlabeled) = try data.examples()
            guard !examples.isEmpty else { fail("no labelled items found (check --labels against the document ids)") }
            let model = try data.trainer.train(examples)
            try model.save(to: URL(fileURLWithPath: out))
            let counts = Dictionary(grouping: examples, by: \.label).mapValues(\.count).sorted { $0.key < $1.key }
            print("trained on \(examples.count) items (\(counts.map { "\($0.key) \($0.value)" }.joined(separator: ", "))), \(unlabeled) without a label or text; model written to \(out)")
        }
    }
}

/// `clinpipe evaluate outcome`
struct EvaluateOutcome: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outcome",
        abstract: "Cross-validate the outcome classifier by letter: accuracy, per-class precision and recall, confusion matrix.")

    @OptionGroup var data: OutcomeDataOptions

    @Option(name: .long, help: "Number of folds (all items of a letter stay in one fold).")
    var folds: Int = 5

    @Option(name: .long, help: "Seed of the fold assignment.")
    var seed: UInt64 = 1

    func run() throws {
        let (examples, unlabeled) = try data.examples()
        guard !examples.isEmpty else { fail("no labelled items found (check --labels against the document ids)") }
        let report = try CrossValidation.run(examples, trainer: data.trainer, folds: folds, seed: seed)
        print("\(examples.count) items in \(Set(examples.compactMap(\.group)).count) letters (\(unlabeled) without a label or text), \(folds)-fold cross-validation by letter, source: \(data.source.rawValue)")
        print(report.metrics.report())
    }
}
