#!/usr/bin/env bash
# Fuzzes every reader and the query parser with cargo-fuzz (libFuzzer).
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#
# Runs each target (all of them by default) for SECONDS (600 by default),
# one after another, seeded from tests/data and, when present, ../shared.
# Needs a nightly toolchain and `cargo install cargo-fuzz`. Crashing inputs
# land in fuzz/artifacts/TARGET/: copy each into tests/data/fuzz/TARGET/,
# where tests/fuzz_regressions.rs replays it on every `cargo test`.
# Logs (with libFuzzer's final stats) go to fuzz/logs/TARGET.log.
# FUZZ_NO_BUILD=1 runs the binaries already built.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
all="read_json read_jsonl read_markdown read_sgml read_feed read_html read_warc read_csv read_tsv read_text read_gz read_sniff query"
targets=${*:-$all}
shared=../shared/corpora

seed() { # seed TARGET FILE...
    local dir=fuzz/corpus/$1
    shift
    mkdir -p "$dir"
    for f in "$@"; do
        [ -f "$f" ] && head -c 65536 "$f" > "$dir/seed-$(basename "$f")"
    done
    return 0
}

seed read_json tests/data/formats/*.json tests/data/bad/malformed.json tests/data/feeds/*.json
seed read_jsonl tests/data/formats/*.jsonl tests/data/dates/*.jsonl tests/data/bad/mixed.jsonl
seed read_markdown tests/data/formats/*.md tests/data/bad/*.md
seed read_sgml tests/data/reuters/*.sgm
seed read_feed tests/data/feeds/*.xml $(ls $shared/feeds/*.xml 2>/dev/null | head -20)
seed read_html tests/data/html/*.html $(ls $shared/html-goose3/*.html 2>/dev/null | head -10)
seed read_text corpus/*.txt tests/data/formats/*.txt tests/data/bad/*.txt
seed read_sniff corpus/*.txt tests/data/formats/* tests/data/feeds/* tests/data/reuters/*
seed read_warc tests/data/formats/*.warc
seed read_csv tests/data/formats/*.csv
seed read_tsv tests/data/formats/*.tsv
mkdir -p fuzz/corpus/read_gz
for f in corpus/*.txt tests/data/formats/wire.jsonl tests/data/reuters/reuters-sample.sgm; do
    head -c 16384 "$f" | gzip -c > "fuzz/corpus/read_gz/seed-$(basename "$f").gz"
done
mkdir -p fuzz/corpus/query
printf 'drone kremlin' > fuzz/corpus/query/words
printf '"drone attack" OR title:(kremlin -moscow)' > fuzz/corpus/query/boolean
printf 'oil* AND person:"John Smith"~2\n1987-03\n2023\nreuters\nsmith\nnewest' > fuzz/corpus/query/filtered

mkdir -p fuzz/logs
# Built once, so that editing the code while the fuzzers run changes nothing.
[ -n "${FUZZ_NO_BUILD:-}" ] || (cd fuzz && cargo +nightly fuzz build -O)
bin=fuzz/target/x86_64-unknown-linux-gnu/release
for t in $targets; do
    echo "== $t: ${seconds}s"
    mkdir -p "fuzz/artifacts/$t"
    "$bin/$t" -artifact_prefix="fuzz/artifacts/$t/" \
        -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=4096 \
        -print_final_stats=1 "fuzz/corpus/$t" > "fuzz/logs/$t.log" 2>&1 \
        || echo "   $t FAILED: see fuzz/logs/$t.log and fuzz/artifacts/$t/"
    grep -E "stat::number_of_executed_units|stat::average_exec_per_sec" "fuzz/logs/$t.log"
done
