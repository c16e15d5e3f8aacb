#!/usr/bin/env python3
"""Side-by-side throughput of clinpipe and Python peers over one generated corpus.

Peers (each over the same texts, one process, one core):
  - medspaCy: medspacy.load() (spaCy blank English tokenizer, PyRuSH sentence splitter, TargetMatcher, ConText)
    with TargetRules for the generator's drugs (DRUG) and findings (FINDING).
  - negspacy: spacy.blank("en") + sentencizer + an EntityRuler with the same terms + Negex (en_clinical termset).
    spaCy's trained English models are not PyPI packages of their own (spaCy downloads them from GitHub), so the
    blank pipeline is used: no tagger or parser, which makes spaCy faster than with en_core_web_sm.
  - regex: a plain Python `re` pass: one alternation for drug and finding terms, date and spinal-level patterns, and
    a negation cue looked up in a 60-character window before each finding.
  - clinpipe: `clinpipe run CORPUS --stages ... --jobs 1 --out /dev/null` (process start-up included).

Prints a table of documents/s, MB/s (UTF-8 bytes of text), MB per processor-second (robust to other work on a\nbusy machine) and the ratios of clinpipe's rates to each tool's.
No document text is printed.
"""
import argparse
import csv
import json
import os
import re
import resource
import subprocess
import sys
import time


def read_terms(rules):
    """Drug names and finding phrases from the generator's vocabulary (the same entities the key records)."""
    def rows(name):
        with open(os.path.join(rules, name), encoding="utf-8") as handle:
            lines = [line for line in handle if line.strip() and not line.startswith("#")]
        return list(csv.DictReader(lines, delimiter="\t"))
    drugs = sorted({row["name"] for row in rows("drugs.tsv")})
    findings = sorted({row["finding"] for row in rows("findings.tsv")})
    return drugs, findings


def read_corpus(path, limit):
    texts = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                texts.append(json.loads(line)["text"])
                if limit and len(texts) >= limit:
                    break
    return texts


def timed(name, texts, run):
    start = time.perf_counter()
    cpu_start = time.process_time()
    count = run(texts)
    cpu = time.process_time() - cpu_start
    seconds = time.perf_counter() - start
    size = sum(len(text.encode("utf-8")) for text in texts)
    return {"tool": name, "documents": len(texts), "entities": count, "seconds": seconds, "cpu_seconds": cpu,
            "docs_per_s": len(texts) / seconds, "mb_per_s": size / 1e6 / seconds, "mb_per_cpu_s": size / 1e6 / cpu}


def quiet_pyrush():
    """PyRuSH (medspaCy's sentence splitter) logs every sentence boundary at DEBUG level through loguru; that
    logging would dominate the timing, so keep only warnings."""
    try:
        from loguru import logger
        logger.remove()
        logger.add(sys.stderr, level="WARNING")
    except ImportError:
        pass


def run_medspacy(drugs, findings):
    import medspacy
    quiet_pyrush()
    from medspacy.target_matcher import TargetRule

    nlp = medspacy.load()
    matcher = nlp.get_pipe("medspacy_target_matcher")
    matcher.add([TargetRule(term, "DRUG") for term in drugs] + [TargetRule(term, "FINDING") for term in findings])

    def run(texts):
        count = 0
        for doc in nlp.pipe(texts):
            count += sum(1 for ent in doc.ents if ent._.is_negated) + len(doc.ents)
        return count
    return run, ", ".join(nlp.pipe_names)


def run_negspacy(drugs, findings):
    import spacy
    from negspacy.negation import Negex  # noqa: F401  (registers the factory)
    from negspacy.termsets import termset

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    ruler.add_patterns([{"label": "DRUG", "pattern": term} for term in drugs]
                       + [{"label": "FINDING", "pattern": term} for term in findings])
    nlp.add_pipe("negex", config={"ent_types": ["DRUG", "FINDING"],
                                  "neg_termset": termset("en_clinical").get_patterns()})

    def run(texts):
        count = 0
        for doc in nlp.pipe(texts):
            count += sum(1 for ent in doc.ents if ent._.negex) + len(doc.ents)
        return count
    return run, ", ".join(nlp.pipe_names)


def run_regex(drugs, findings):
    terms = sorted(drugs + findings, key=len, reverse=True)
    entity = re.compile(r"\b(?:" + "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in terms) + r")\b", re.I)
    finding = re.compile(r"\b(?:" + "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in findings) + r")\b", re.I)
    date = re.compile(r"\b(?:\d{1,2}[/-]\d{1,2}[/-](?:\d{4}|\d{2})|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)"
                      r"[a-z]*\.?\s+(?:\d{1,2},\s+)?\d{4})\b")
    level = re.compile(r"\b[CTLS]\d{1,2}(?:\s*[-/\u2013]\s*[CTLS]?\d{1,2})?\b")
    cue = re.compile(r"\b(?:no|not|without|denie[sd]|negative for|absence of|lack of|fail(?:s|ed)? to)\b", re.I)

    def run(texts):
        count = 0
        for text in texts:
            count += len(entity.findall(text)) + len(date.findall(text)) + len(level.findall(text))
            for match in finding.finditer(text):
                if cue.search(text, max(0, match.start() - 60), match.start()):
                    count += 1
        return count
    return run, "re: terms, dates, levels, negation window"


def run_clinpipe(binary, corpus, stages, count, size):
    command = [binary, "run", corpus, "--jobs", "1", "--quiet", "--out", "/dev/null"]
    if stages:
        command += ["--stages"] + stages.split(",")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"tool": "clinpipe", "documents": count, "entities": None, "seconds": seconds, "cpu_seconds": cpu,
            "docs_per_s": count / seconds, "mb_per_s": size / 1e6 / seconds, "mb_per_cpu_s": size / 1e6 / cpu}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", required=True, help="JSONL corpus from 'clinpipe corpus synth'")
    parser.add_argument("--rules", required=True, help="Sources/ClinPipeSynth/Rules (drug and finding terms)")
    parser.add_argument("--clinpipe", required=True, help="the clinpipe binary (a release build)")
    parser.add_argument("--stages", default="", help="clinpipe stages (default: its default pipeline)")
    parser.add_argument("--limit", type=int, default=0, help="use only the first N letters")
    parser.add_argument("--json", help="also write the table as JSON to this file")
    args = parser.parse_args()

    drugs, findings = read_terms(args.rules)
    texts = read_corpus(args.corpus, args.limit)
    size = sum(len(text.encode("utf-8")) for text in texts)
    corpus = args.corpus
    if args.limit:
        corpus = args.corpus + ".subset.jsonl"
        with open(args.corpus, encoding="utf-8") as source, open(corpus, "w", encoding="utf-8") as target:
            for index, line in enumerate(source):
                if index >= args.limit:
                    break
                target.write(line)
    print(f"corpus: {len(texts)} letters, {size / 1e6:.2f} MB; terms: {len(drugs)} drugs, {len(findings)} findings",
          file=sys.stderr)

    results = []
    clinpipe = run_clinpipe(args.clinpipe, corpus, args.stages, len(texts), size)
    clinpipe["pipeline"] = "clinpipe " + (args.stages or "default pipeline")
    results.append(clinpipe)
    for name, factory in [("regex (Python re)", run_regex), ("negspacy", run_negspacy), ("medspaCy", run_medspacy)]:
        try:
            run, pipeline = factory(drugs, findings)
        except Exception as error:  # a missing package: report and go on
            print(f"{name}: not run ({error.__class__.__name__}: {error})", file=sys.stderr)
            continue
        result = timed(name, texts, run)
        result["pipeline"] = pipeline
        results.append(result)
        print(f"{name}: {result['seconds']:.1f} s", file=sys.stderr)

    # Wall-clock rates suffer from other work on the machine; rates per processor-second much less so.
    reference = clinpipe["mb_per_s"]
    reference_cpu = clinpipe["mb_per_cpu_s"]
    print("| tool | pipeline | documents/s | MB/s | MB per CPU-s | clinpipe faster (wall) | clinpipe faster (CPU) |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for r in results:
        ratio = reference / r["mb_per_s"] if r["mb_per_s"] else float("nan")
        ratio_cpu = reference_cpu / r["mb_per_cpu_s"] if r["mb_per_cpu_s"] else float("nan")
        print(f"| {r['tool']} | {r['pipeline']} | {r['docs_per_s']:.1f} | {r['mb_per_s']:.3f} | "
              f"{r['mb_per_cpu_s']:.3f} | {ratio:.1f} | {ratio_cpu:.1f} |")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(results, handle, indent=2)


if __name__ == "__main__":
    main()
