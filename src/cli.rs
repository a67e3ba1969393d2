//! Command-line arguments: every flag of every subcommand, and nothing else.
//!
//! Arguments stay as typed here; `cmd/` resolves them into library requests.
//! Each subcommand's doc comment is its `--help`, and `after_long_help` holds
//! worked examples (a test checks that every subcommand has some).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Search a news archive: ranked passages, dates, sources and entities.
#[derive(Debug, Parser)]
#[command(name = "newsdex", version, about, long_about = None, propagate_version = true)]
#[command(after_long_help = "Examples:
  $ newsdex index                      # index corpus/ into index/
  $ newsdex search drone kremlin       # ranked passages, grouped by article
  $ newsdex search --from 2023-05 --source CNN
  $ newsdex show corpus/000_690a3a72e68bdb61.txt
  $ newsdex stats")]
pub struct Cli {
    #[command(flatten)]
    pub index: IndexLocation,
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Index files and folders of articles (default: corpus/)
    #[command(after_long_help = INDEX_EXAMPLES)]
    Index(IndexArgs),
    /// Search the index for ranked passages, grouped by article
    #[command(after_long_help = SEARCH_EXAMPLES)]
    Search(Box<SearchArgs>),
    /// Count the top sources, people, organisations, places or months
    #[command(after_long_help = FACETS_EXAMPLES)]
    Facets(Box<FacetsArgs>),
    /// Count matching articles per day, week, month or year
    #[command(after_long_help = HISTOGRAM_EXAMPLES)]
    Histogram(Box<HistogramArgs>),
    /// Show one article in full, with its metadata
    #[command(after_long_help = SHOW_EXAMPLES)]
    Show(ShowArgs),
    /// Find articles like one article (its distinctive words and names)
    #[command(after_long_help = SIMILAR_EXAMPLES)]
    Similar(Box<SimilarArgs>),
    /// Summarise the index: articles, passages, dates, sources, size
    #[command(after_long_help = STATS_EXAMPLES)]
    Stats(StatsArgs),
    /// Score the ranking on a test collection: MAP, nDCG@10, P@10, MRR, Recall@100
    #[command(after_long_help = EVAL_EXAMPLES)]
    Eval(EvalArgs),
    /// Convert a classic test collection for `index` and `eval` (cranfield)
    #[command(after_long_help = EVAL_EXAMPLES)]
    Convert(ConvertArgs),
    /// Export enriched articles as NDJSON for Quickwit or OpenSearch, with the index definition
    #[command(after_long_help = EXPORT_EXAMPLES)]
    Export(Box<ExportArgs>),
    /// Serve the index in the browser and as a JSON API (loopback by default)
    #[command(after_long_help = SERVE_EXAMPLES)]
    Serve(ServeArgs),
    /// Train, score and run the entity tagger
    #[command(subcommand, after_long_help = NER_EXAMPLES)]
    Ner(NerCommand),
    /// Measure indexing and query speed on Reuters-21578 (and a 10x copy)
    #[command(after_long_help = BENCH_EXAMPLES)]
    Bench(BenchArgs),
    /// Print shell completions (bash, zsh, fish, elvish, powershell)
    #[command(after_long_help = COMPLETIONS_EXAMPLES)]
    Completions(CompletionsArgs),
}

const BENCH_EXAMPLES: &str = "Examples:
  $ newsdex bench                          # 1x and 10x, with and without entities
  $ newsdex bench --scales 1 --no-entities # a quick look
  $ newsdex bench --format json > bench.json

Each indexing run is a real `newsdex index` process into a fresh index under
--work; its peak resident memory is read from /proc while it runs. Query
latency is measured in-process on a warm index over a fixed set of 58
queries (one word, several words, phrases, boolean, date-filtered,
entity-filtered, with facets, listings); one-shot latency runs
`newsdex search` as a command.";

/// `newsdex bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// The Reuters-21578 folder (reut2-000.sgm ... reut2-021.sgm)
    #[arg(long, value_name = "DIR", default_value = "../shared/corpora/reuters21578")]
    pub reuters: PathBuf,
    /// Where the JSON Lines corpora (kept and reused) and indexes go
    #[arg(long, value_name = "DIR", default_value = "target/bench")]
    pub work: PathBuf,
    /// Sizes of the corpus, in copies of Reuters-21578 with unique ids
    #[arg(long, value_name = "N,...", value_delimiter = ',', default_value = "1,10")]
    pub scales: Vec<usize>,
    /// Timed passes over the query set
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub rounds: usize,
    /// One-shot `newsdex search` runs
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub cli_runs: usize,
    /// Only index without entity tagging
    #[arg(long)]
    pub no_entities: bool,
    /// Only write the JSON Lines corpora (for scripts/compare-tantivy-cli.sh)
    #[arg(long)]
    pub prepare: bool,
    /// Only time queries, on the indexes a previous bench left in --work
    #[arg(long)]
    pub queries_only: bool,
    /// Only time queries of these kinds (word, words, phrase, boolean,
    /// date, filtered, facets, listing), for profiling one kind
    #[arg(long, value_name = "KIND,...", value_delimiter = ',')]
    pub kinds: Vec<String>,
    /// Time queries without folding near-duplicates (the 10x corpus is ten
    /// copies of every article, the most collapsing any archive can ask for)
    #[arg(long)]
    pub no_collapse: bool,
    /// Indexing threads (passed to `newsdex index --threads`)
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

const INDEX_EXAMPLES: &str = "Examples:
  $ newsdex index                          # corpus/ into index/
  $ newsdex index ~/news/2023 feed.jsonl   # several paths
  $ newsdex index --rebuild archive/       # start from an empty index
  $ newsdex --index /tmp/ix index corpus/  # (or NEWSDEX_INDEX=/tmp/ix)

Formats, by extension (sniffed when there is none):
  .txt              optional header (`date YYYY-MM-DD`, `title: ...`), then the body
  .md, .markdown    YAML (---) or TOML (+++) front matter, then the body
  .json             one article, a list, or {\"articles\": [...]}
  .jsonl, .ndjson   one article a line

Indexing the same files again replaces their articles (upsert by id).
A bad file or record is reported as path:line: reason and skipped.";

const SEARCH_EXAMPLES: &str = "Examples:
  $ newsdex search drone kremlin               # all words (English stems)
  $ newsdex search '\"drone strike\"~3 -ukraine' # phrase with slop, exclusion
  $ newsdex search 'kreml* (peskov OR zelenskyy)'
  $ newsdex search 'person:zelenskyy title:drone'
  $ newsdex search --from 2023-05 --to 2023-06 --source CNN drone
  $ newsdex search --on 1987-03 --place usa --facets --format json cocoa
  $ newsdex search --sort newest --limit 50    # empty query: list articles
  $ newsdex search --since 6m --relative-to newest --timeline oil
  $ newsdex search --format csv -n 100 cocoa > cocoa.csv

Query syntax: words are ANDed; \"a phrase\", \"a phrase\"~N (slop), OR,
-word or NOT word, (groups), prefix*, and field:value for title, source,
person, org and place. Boolean logic applies to whole articles: the words may
stand in different passages. Quote a query with -exclusions, or put it after
--, so that they are not taken for options: newsdex search -- drone -ukraine.
Exit status: 0 with results, 1 without, 2 on error.";

const HISTOGRAM_EXAMPLES: &str = "Examples:
  $ newsdex histogram oil                         # articles about oil per month
  $ newsdex histogram --by week --place brazil coffee
  $ newsdex histogram --by day --on 1987-03 --format csv > march.csv
  $ newsdex histogram --since 3m --relative-to newest --by week

Buckets are calendar ones: days, ISO weeks (Monday to Sunday, written
1987-W10), months and years. Every bucket from the first to the last is
shown, empty ones as 0; with --from/--to (or --on, --since, --until) the
histogram spans those dates. Undated matches are counted apart.";

const NER_EXAMPLES: &str = "Examples:
  $ newsdex ner train --train ../shared/corpora/conll2003/eng.train --dev ../shared/corpora/conll2003/eng.testa
  $ newsdex ner eval ../shared/corpora/conll2003/eng.testa
  $ echo 'Dmitry Peskov spoke in Moscow.' | newsdex ner tag
  $ newsdex ner tag --conll < eng.testa > tagged.txt   # conlleval's input
  $ newsdex ner bench corpus/reuters-1987-sample.jsonl";

const FACETS_EXAMPLES: &str = "Examples:
  $ newsdex facets --field person                  # the most named people
  $ newsdex facets --field place oil --limit 20    # places in articles about oil
  $ newsdex facets --field org --from 1987-03 --to 1987-03 --format json
  $ newsdex facets --field month --person reagan   # when he was in the news

Counts are of matching articles (each article once), most frequent first;
months come in calendar order.";

const SHOW_EXAMPLES: &str = "Examples:
  $ newsdex show corpus/000_690a3a72e68bdb61.txt
  $ newsdex show reuters-5 --format json";

const SIMILAR_EXAMPLES: &str = "Examples:
  $ newsdex similar reuters-5                   # more like this
  $ newsdex similar reuters-5 --from 1987-04    # later coverage of the story
  $ newsdex similar corpus/000_690a3a72e68bdb61.txt --format json

The article's 25 most distinctive words (frequent in it, rare in the
archive) and up to 10 of its people, organisations and places are searched
for, any of them matching; articles sharing the most, and the rarest, rank
first. The article itself is left out. Filters, --sort and paging work as
in search.";

const STATS_EXAMPLES: &str = "Examples:
  $ newsdex stats
  $ newsdex stats --format json | jq .articles";

const COMPLETIONS_EXAMPLES: &str = "Examples:
  $ newsdex completions bash > ~/.local/share/bash-completion/completions/newsdex
  $ newsdex completions zsh > ~/.zfunc/_newsdex
  $ newsdex completions fish > ~/.config/fish/completions/newsdex.fish";

/// Where the index lives; shared by every command that uses one.
#[derive(Debug, Clone, Args)]
pub struct IndexLocation {
    /// The index folder
    #[arg(
        long = "index",
        value_name = "DIR",
        env = "NEWSDEX_INDEX",
        default_value = "index"
    )]
    pub dir: PathBuf,
}

/// Output format for commands with structured output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people; highlights in bold on a terminal.
    Text,
    /// One JSON object.
    Json,
    /// One JSON object per line, per hit (search only).
    Jsonl,
}

/// `newsdex index`.
#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Files and folders to index
    #[arg(value_name = "PATH", default_value = "corpus")]
    pub paths: Vec<PathBuf>,
    /// Remove every article first, so the index holds only PATH...
    #[arg(long)]
    pub rebuild: bool,
    /// Index each article as one passage instead of splitting it at
    /// paragraphs: plain article-level BM25, a baseline for `eval`
    /// (recorded in the index; switching needs --rebuild)
    #[arg(long)]
    pub whole_articles: bool,
    #[command(flatten)]
    pub enrich: EnrichArgs,
    /// Write every problem as a JSON line to FILE (path, line, record, severity, message)
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Exit with status 2 if any file or record was skipped or warned about
    #[arg(long)]
    pub strict: bool,
    /// Print nothing but problems
    #[arg(long, short)]
    pub quiet: bool,
    /// Never show a progress bar
    #[arg(long)]
    pub no_progress: bool,
    /// Threads for reading, tagging and indexing (default: one per core)
    #[arg(long, value_name = "N", value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=256))]
    pub threads: Option<usize>,
    /// Memory for the index writer's buffers, in MB (peak use is this plus a fixed overhead)
    #[arg(long, value_name = "MB", default_value_t = 256,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(16..=4000))]
    pub memory: usize,
    /// Commit after every N articles, so that an interrupted run keeps its work
    #[arg(long, value_name = "N", default_value_t = newsdex::ingest::DEFAULT_COMMIT_EVERY,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    pub commit_every: usize,
}

/// How articles are read and enriched (`index` and `export`).
#[derive(Debug, Args)]
pub struct EnrichArgs {
    /// Do not look for people, organisations and places in the text; keep
    /// only those the metadata names (faster)
    #[arg(long)]
    pub no_entities: bool,
    /// Extra name variants: lines of `Canonical: variant, variant`
    #[arg(long, value_name = "FILE", env = "NEWSDEX_ALIASES")]
    pub aliases: Option<PathBuf>,
    /// Field names of a JSON or CSV corpus: title=headline,date=pubtime
    #[arg(long, value_name = "FIELD=NAME,...")]
    pub map: Vec<String>,
    /// Settings file with [map] and [aliases] tables (default: ./newsdex.toml if present)
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// `newsdex export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The engine to export for
    #[arg(long, value_enum)]
    pub to: ExportTarget,
    /// Files and folders to export
    #[arg(value_name = "PATH", default_value = "corpus")]
    pub paths: Vec<PathBuf>,
    /// The folder to write the index definition and NDJSON files to
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// One document per article, or per passage (with its article's title,
    /// date and facets)
    #[arg(long, value_enum, default_value_t = ExportLevel::Article)]
    pub level: ExportLevel,
    /// The index name in the definition and the printed commands
    #[arg(long, default_value = "newsdex", value_name = "NAME")]
    pub name: String,
    /// Documents per NDJSON file
    #[arg(long, value_name = "N", default_value_t = 100_000,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    pub shard_size: usize,
    #[command(flatten)]
    pub enrich: EnrichArgs,
    /// Print nothing but problems
    #[arg(long, short)]
    pub quiet: bool,
}

/// `export --to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportTarget {
    /// Quickwit: index-config.yaml and documents-NNNNN.ndjson
    Quickwit,
    /// OpenSearch or Elasticsearch: index.json, index-template.json and
    /// bulk-NNNNN.ndjson
    Opensearch,
}

/// `export --level`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportLevel {
    /// One document per article
    Article,
    /// One document per passage
    Passage,
}

/// `newsdex search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query (several words are joined); empty lists articles
    #[arg(value_name = "QUERY", num_args = 0..)]
    pub query: Vec<String>,
    #[command(flatten)]
    pub filters: FilterArgs,
    #[command(flatten)]
    pub page: PageArgs,
    /// Only the article ID and its near-duplicates, each its own result
    #[arg(long, value_name = "ID", help_heading = "Filters")]
    pub similar: Option<String>,
    /// Passages shown per article
    #[arg(long, default_value_t = 2, value_name = "N", help_heading = "Results")]
    pub passages: usize,
    /// Count sources, people, organisations, places and months over all matches
    #[arg(long, help_heading = "Results")]
    pub facets: bool,
    /// Values shown per facet
    #[arg(long, default_value_t = 10, value_name = "N", help_heading = "Results")]
    pub facet_limit: usize,
    /// Print a line of the matches over time under the results
    #[arg(long, help_heading = "Results")]
    pub timeline: bool,
    /// Show how each hit's score was composed (best passage, title and
    /// names, each word's BM25 part; JSON adds tantivy's details)
    #[arg(long, help_heading = "Results")]
    pub explain: bool,
    /// Rank by each word's BM25 alone: words side by side in the query add
    /// nothing more where they stand near each other in an article
    #[arg(long, help_heading = "Results")]
    pub no_proximity: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = ListFormat::Text, help_heading = "Output")]
    pub format: ListFormat,
    /// When to use bold and colour in text output
    #[arg(long, value_enum, default_value_t = ColorArg::Auto, help_heading = "Output")]
    pub color: ColorArg,
}

/// Order and paging of a list of articles (search, similar).
#[derive(Debug, Args)]
pub struct PageArgs {
    /// Order of results
    #[arg(long, value_enum, default_value_t = SortArg::Relevance, help_heading = "Results")]
    pub sort: SortArg,
    /// How many articles to show
    #[arg(
        long,
        short = 'n',
        default_value_t = 10,
        value_name = "N",
        help_heading = "Results"
    )]
    pub limit: usize,
    /// How many articles to skip (for the next page)
    #[arg(long, default_value_t = 0, value_name = "N", help_heading = "Results")]
    pub offset: usize,
    /// Show every near-duplicate (syndicated copies, light rewrites) as its
    /// own result, instead of the earliest of each with "+N similar"
    #[arg(long, help_heading = "Results")]
    pub no_collapse: bool,
}

/// `newsdex similar`.
#[derive(Debug, Args)]
pub struct SimilarArgs {
    /// The article's id, as search prints it
    #[arg(value_name = "ID")]
    pub id: String,
    #[command(flatten)]
    pub filters: FilterArgs,
    #[command(flatten)]
    pub page: PageArgs,
    /// Passages shown per article
    #[arg(long, default_value_t = 1, value_name = "N", help_heading = "Results")]
    pub passages: usize,
    /// Output format
    #[arg(long, value_enum, default_value_t = ListFormat::Text, help_heading = "Output")]
    pub format: ListFormat,
    /// When to use bold and colour in text output
    #[arg(long, value_enum, default_value_t = ColorArg::Auto, help_heading = "Output")]
    pub color: ColorArg,
}

/// `newsdex histogram`.
#[derive(Debug, Args)]
pub struct HistogramArgs {
    /// Only articles matching this query (several words are joined); empty counts all
    #[arg(value_name = "QUERY", num_args = 0..)]
    pub query: Vec<String>,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// The size of a bucket
    #[arg(long, value_enum, default_value_t = BucketArg::Month)]
    pub by: BucketArg,
    /// The longest bar, in characters
    #[arg(long, default_value_t = 50, value_name = "N")]
    pub width: usize,
    /// Output format
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

/// `--by` of `newsdex histogram`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BucketArg {
    /// Calendar days
    Day,
    /// ISO weeks, Monday to Sunday
    Week,
    /// Calendar months
    Month,
    /// Calendar years
    Year,
}

/// Output format for lists: search results, facet counts, histograms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// For people; highlights in bold on a terminal.
    Text,
    /// One JSON object.
    Json,
    /// One JSON object per line (per hit, value or bucket).
    Jsonl,
    /// Comma-separated values with a header row, for spreadsheets.
    Csv,
}

/// `newsdex facets`.
#[derive(Debug, Args)]
pub struct FacetsArgs {
    /// Which facet to count
    #[arg(long, value_enum)]
    pub field: FacetField,
    /// Only articles matching this query (several words are joined)
    #[arg(value_name = "QUERY", num_args = 0..)]
    pub query: Vec<String>,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// How many values to show
    #[arg(long, short = 'n', default_value_t = 20, value_name = "N")]
    pub limit: usize,
    /// Output format
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

/// `--field` of `newsdex facets`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FacetField {
    /// People
    Person,
    /// Organisations
    Org,
    /// Places
    Place,
    /// Sources
    Source,
    /// Topics and tags
    Topic,
    /// Publication months
    Month,
}

/// Date, source and entity filters.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Filters")]
pub struct FilterArgs {
    /// First day, inclusive: YYYY, YYYY-MM or YYYY-MM-DD
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Last day, inclusive: YYYY, YYYY-MM (through its last day) or YYYY-MM-DD
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// One year, month or day: --on 2023-05 is --from 2023-05 --to 2023-05
    #[arg(long, value_name = "DATE")]
    pub on: Option<String>,
    /// From this long ago (7d, 3w, 6m, 1y: days, weeks, months, years) or from a date
    #[arg(long, value_name = "AGO")]
    pub since: Option<String>,
    /// Until this long ago (7d, 3w, 6m, 1y) or until a date
    #[arg(long, value_name = "AGO")]
    pub until: Option<String>,
    /// What --since and --until count back from: today, or the newest article
    #[arg(long, value_enum, default_value_t = RelativeTo::Today, value_name = "WHEN")]
    pub relative_to: RelativeTo,
    /// Only this source (whole name, any case); repeat for any of several
    #[arg(long, value_name = "NAME")]
    pub source: Vec<String>,
    /// Only articles naming this person (words of the name, any case); repeat for all of several
    #[arg(long, value_name = "NAME")]
    pub person: Vec<String>,
    /// Only articles naming this organisation; repeatable (all must match)
    #[arg(long, value_name = "NAME")]
    pub org: Vec<String>,
    /// Only articles naming this place; repeatable (all must match)
    #[arg(long, value_name = "NAME")]
    pub place: Vec<String>,
    /// Only articles naming this person, organisation or place; repeatable
    #[arg(long, value_name = "NAME")]
    pub entity: Vec<String>,
    /// Only articles with this topic or tag (whole name, any case); repeat for any of several
    #[arg(long, value_name = "NAME")]
    pub topic: Vec<String>,
}

/// `--relative-to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RelativeTo {
    /// Today's date
    Today,
    /// The date of the newest article in the index (archives are often old)
    Newest,
}

/// `--sort`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortArg {
    /// Best passage first (an empty query lists newest first)
    Relevance,
    /// Newest first, undated last
    Newest,
    /// Oldest first, undated last
    Oldest,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// When stdout is a terminal and NO_COLOR is unset
    Auto,
    /// Always
    Always,
    /// Never
    Never,
}

/// `newsdex show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The article's id, as search prints it
    #[arg(value_name = "ID")]
    pub id: String,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// When to use bold and colour in text output
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
}

const EXPORT_EXAMPLES: &str = "Examples:
  $ newsdex export --to quickwit --out export/quickwit
  $ newsdex export --to opensearch --level passage --shard-size 50000 archive/ --out export/os

The same readers and enrichment as `index` (dates, sources, entities,
near-duplicate clusters, passages). Quickwit: index-config.yaml, then
documents-00000.ndjson, ... for `quickwit index ingest`. OpenSearch:
index.json (the body of PUT /NAME) and index-template.json, then
bulk-00000.ndjson, ... for POST /NAME/_bulk. The commands to run are
printed at the end, and README's \"From a laptop to a cluster\" maps
newsdex's query syntax to theirs.";

const EVAL_EXAMPLES: &str = "Examples:
  $ newsdex convert cranfield ../shared/corpora/ir --out target/cranfield
  $ newsdex --index target/cranfield/index index target/cranfield/docs.jsonl
  $ newsdex --index target/cranfield/index eval \\
      --topics target/cranfield/topics.tsv --qrels target/cranfield/qrels.txt
  $ newsdex eval --topics t.tsv --qrels q.txt --per-query --run run.txt

Topics are TSV (qid<TAB>text) and are run as bags of words: any word may
match, and AND, OR, NOT, quotes and dashes in a topic are words or nothing.
Qrels are TREC's (qid 0 docid grade; grade 0 is judged non-relevant), and
--run writes TREC's run format (qid Q0 docid rank score tag). A document
is relevant with grade 1 or more; topics with none are left out of the
means. Near-duplicates are not folded: every article is ranked.";

const SERVE_EXAMPLES: &str = "Examples:
  $ newsdex serve                          # http://127.0.0.1:8080/
  $ newsdex --index archive serve --port 9000
  $ curl 'http://127.0.0.1:8080/api/search?q=drone&from=2023-05&facets=1'

The API mirrors the commands: /api/search, /api/facets, /api/histogram,
/api/stats, /api/article/ID and /api/similar/ID take the flags of search,
facets, histogram, stats, show and similar as query parameters (q for the query, person=... for
--person ..., facets=1 for --facets, collapse=0 for --no-collapse) and
answer with their --format json output. The server follows the index: a
run of `newsdex index` beside it shows up within a second of its commit.";

/// `newsdex eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The topics: qid<TAB>text per line
    #[arg(long, value_name = "FILE")]
    pub topics: PathBuf,
    /// The judgments, in TREC qrels format: qid 0 docid grade
    #[arg(long, value_name = "FILE")]
    pub qrels: PathBuf,
    /// Also write the ranking in TREC run format to this file
    #[arg(long, value_name = "FILE")]
    pub run: Option<PathBuf>,
    /// The run's tag in the run file
    #[arg(long, default_value = "newsdex", value_name = "TAG")]
    pub tag: String,
    /// Articles ranked per topic
    #[arg(long, default_value_t = 1000, value_name = "N")]
    pub depth: usize,
    /// Print each topic's figures too
    #[arg(long)]
    pub per_query: bool,
    /// Rank without the proximity of the topic's words side by side (the
    /// plain BM25 baseline, with --whole-articles indexes)
    #[arg(long)]
    pub no_proximity: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// `newsdex convert`.
#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// The collection's format
    #[arg(value_enum)]
    pub collection: Collection,
    /// The folder holding its files (cranfield: cran.all.1400, cran.qry, cranqrel;
    /// reuters-topics: the reut2-*.sgm files)
    #[arg(value_name = "DIR")]
    pub source: PathBuf,
    /// Where docs.jsonl (Cranfield only), topics.tsv and qrels.txt go
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// reuters-topics: the folder with cat-descriptions_120396.txt and
    /// all-topics-strings.lc.txt [default: reuters21578-extras beside DIR]
    #[arg(long, value_name = "DIR")]
    pub extras: Option<PathBuf>,
}

/// Test collections `convert` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Collection {
    /// Cranfield 1400 (SMART .I/.T/.A/.B/.W files and cranqrel)
    Cranfield,
    /// Reuters-21578's topic categories: descriptions as topics, the articles filed
    /// under each as relevant (index the SGML folder itself)
    ReutersTopics,
}

/// `newsdex serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The port to listen on (0: any free port, printed)
    #[arg(long, default_value_t = 8080, value_name = "PORT")]
    pub port: u16,
    /// The address to listen on; anything but loopback lets other machines search the index
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDR")]
    pub bind: std::net::IpAddr,
}

/// `newsdex stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Sources listed
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub top: usize,
}

/// `newsdex ner ...`.
#[derive(Debug, Subcommand)]
pub enum NerCommand {
    /// Train the tagger on CoNLL-2003 files; print precision, recall and F1 on dev
    #[command(after_long_help = NER_EXAMPLES)]
    Train(NerTrainArgs),
    /// Score the tagger on a CoNLL file (exact spans, per type)
    #[command(after_long_help = NER_EXAMPLES)]
    Eval(NerEvalArgs),
    /// Tag text from stdin and print entities with byte offsets
    #[command(after_long_help = NER_EXAMPLES)]
    Tag(NerTagArgs),
    /// Measure tagging speed on one core (tokens per second, raw text)
    #[command(after_long_help = NER_EXAMPLES)]
    Bench(NerBenchArgs),
}

/// `newsdex ner bench`.
#[derive(Debug, Args)]
pub struct NerBenchArgs {
    /// Articles to tag, in any format newsdex reads
    #[arg(value_name = "PATH", default_value = "corpus/reuters-1987-sample.jsonl")]
    pub path: PathBuf,
    /// How long to run each measurement
    #[arg(long, default_value_t = 3.0, value_name = "SECONDS")]
    pub seconds: f64,
}

/// `newsdex ner train`.
#[derive(Debug, Args)]
pub struct NerTrainArgs {
    /// Training file (CoNLL format, IOB1 or BIO tags in the last column)
    #[arg(long, value_name = "FILE")]
    pub train: PathBuf,
    /// Development file, to pick the best epoch and report scores on
    #[arg(long, value_name = "FILE")]
    pub dev: Option<PathBuf>,
    /// Passes over the training data
    #[arg(long, default_value_t = 12, value_name = "N")]
    pub epochs: usize,
    /// Drop features whose averaged weights are all smaller than this
    ///
    /// A smaller model tags faster: on CoNLL-2003, 1 keeps 31k of 65k
    /// features for 0.001 less F1 on the development set.
    #[arg(long, default_value_t = 1.0, value_name = "W")]
    pub min_weight: f32,
    /// Where to write the model (the embedded one is src/ner/data/model.bin)
    #[arg(long, value_name = "FILE", default_value = "src/ner/data/model.bin")]
    pub out: PathBuf,
}

/// `newsdex ner eval`.
#[derive(Debug, Args)]
pub struct NerEvalArgs {
    /// A CoNLL file with gold tags in the last column
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// A model file to use instead of the embedded one
    #[arg(long, value_name = "FILE")]
    pub model: Option<PathBuf>,
}

/// `newsdex ner tag`.
#[derive(Debug, Args)]
pub struct NerTagArgs {
    /// Read a CoNLL file and append the predicted IOB tag to each token line
    #[arg(long)]
    pub conll: bool,
    /// A model file to use instead of the embedded one
    #[arg(long, value_name = "FILE")]
    pub model: Option<PathBuf>,
    /// Output format for entities (text: one per line, tab-separated)
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// `newsdex completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_subcommand_has_examples() {
        for sub in Cli::command().get_subcommands() {
            let help = sub
                .get_after_long_help()
                .map(|h| h.to_string())
                .unwrap_or_default();
            assert!(help.contains("$ newsdex"), "{} has no examples", sub.get_name());
        }
    }
}
