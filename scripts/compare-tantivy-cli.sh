#!/usr/bin/env bash
# Indexes the same Reuters-21578 articles with newsdex and with tantivy-cli,
# in one run, and prints newsdex/tantivy-cli ratios for time and size.
#
#   scripts/compare-tantivy-cli.sh [SCALE] [ROUNDS]
#
# SCALE copies of Reuters-21578 (1 by default; 10 for the 10x corpus), as
# JSON Lines written by `newsdex bench --prepare`; each engine indexes them
# ROUNDS times (3 by default), taking turns, and the medians are compared.
# tantivy-cli indexes id, title, body and date (title and body with
# positions and English stems, as newsdex does); newsdex does all it
# always does (passages, facets, stored articles), once without entity
# tagging and once with. Both use 2 indexing threads and 256 MB.
# Needs ../shared/corpora/reuters21578 and `cargo install tantivy-cli`.
set -euo pipefail
cd "$(dirname "$0")/.."
scale=${1:-1}
rounds=${2:-3}
work=target/bench
cargo build --release --quiet
nd=target/release/newsdex
tv=$(command -v tantivy || echo "$HOME/.cargo/bin/tantivy")
[ -x "$tv" ] || { echo "tantivy-cli is not installed: cargo install tantivy-cli" >&2; exit 2; }
corpus=$work/reuters-${scale}x.jsonl
[ -f "$corpus" ] || "$nd" bench --prepare --scales "$scale"
docs=$work/tantivy-${scale}x.json
[ -f "$docs" ] || python3 - "$corpus" "$docs" <<'PY'
import json, sys
with open(sys.argv[1]) as src, open(sys.argv[2], "w") as out:
    for line in src:
        a = json.loads(line)
        doc = {"id": a["id"], "title": a.get("title") or "", "body": a.get("body") or ""}
        if a.get("date"):
            doc["date"] = a["date"] + "T00:00:00Z"
        out.write(json.dumps(doc) + "\n")
PY
articles=$(wc -l < "$corpus")
text_field='{"indexing":{"record":"position","fieldnorms":true,"tokenizer":"en_stem"},"stored":true,"fast":false}'
meta='{"index_settings":{"docstore_compression":"lz4","docstore_blocksize":16384},"segments":[],"schema":[
 {"name":"id","type":"text","options":{"indexing":{"record":"basic","fieldnorms":false,"tokenizer":"raw"},"stored":true,"fast":false}},
 {"name":"title","type":"text","options":'$text_field'},
 {"name":"body","type":"text","options":'$text_field'},
 {"name":"date","type":"date","options":{"indexed":true,"fieldnorms":false,"fast":true,"stored":true,"precision":"seconds"}}
],"opstamp":0}'

now() { date +%s.%N; }
size() { du -sb "$1" | cut -f1; }
declare -A secs
for round in $(seq "$rounds"); do
    for engine in tantivy-cli newsdex-plain newsdex-entities; do
        dir=$work/compare-$engine
        rm -rf "$dir"
        start=$(now)
        case $engine in
        tantivy-cli)
            mkdir -p "$dir" && printf '%s' "$meta" > "$dir/meta.json"
            "$tv" index -i "$dir" -t 2 -m 268435456 < "$docs" > /dev/null 2>&1 ;;
        newsdex-plain)
            "$nd" --index "$dir" index --quiet --no-progress --no-entities "$corpus" ;;
        newsdex-entities)
            "$nd" --index "$dir" index --quiet --no-progress "$corpus" ;;
        esac
        t=$(echo "$(now) - $start" | bc -l)
        secs[$engine]="${secs[$engine]:-} $t"
        echo "round $round: $engine $(printf '%.2f' "$t") s, $(( $(size "$dir") / 1048576 )) MB"
    done
done
median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
tv_s=$(echo "${secs[tantivy-cli]}" | median)
tv_size=$(size "$work/compare-tantivy-cli")
echo
echo "$articles articles ($scale x Reuters-21578), median of $rounds rounds, $(nproc) cores"
printf '%-18s %8s %12s %8s %14s %12s\n' engine seconds articles/s "index MB" "speed ratio" "size ratio"
for engine in tantivy-cli newsdex-plain newsdex-entities; do
    s=$(echo "${secs[$engine]}" | median)
    sz=$(size "$work/compare-$engine")
    printf '%-18s %8.2f %12.0f %8.1f %13.2fx %11.2fx\n' "$engine" "$s" "$(echo "$articles / $s" | bc -l)" \
        "$(echo "$sz / 1048576" | bc -l)" "$(echo "$tv_s / $s" | bc -l)" "$(echo "$sz / $tv_size" | bc -l)"
done
echo "(speed ratio: articles/s over tantivy-cli's; size ratio: index size over tantivy-cli's)"
