//! One module per subcommand. Each `run` resolves its arguments into a
//! library call, writes to the given output, and returns the exit status:
//! 0 with results, 1 with none (search), 2 on an error.

pub mod bench;
pub mod completions;
pub mod eval;
pub mod export;
pub mod facets;
pub mod histogram;
pub mod index;
pub mod ner;
pub mod search;
pub mod show;
pub mod similar;
pub mod stats;

use std::io::IsTerminal;

use anyhow::{Context, Result};
use chrono::NaiveDate;
use newsdex::output::Style;
use newsdex::query::filter::{Ago, ago, period_bounds};
use newsdex::query::{Bar, Bucket, DayCounts, newest_day};
use newsdex::{Filters, NewsIndex, Sort};

use crate::cli::{ColorArg, FilterArgs, RelativeTo, SortArg};

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Done, with results.
    Found = 0,
    /// Done, but nothing matched.
    NotFound = 1,
    /// Done, but `--strict` and something was skipped.
    Problems = 2,
}

/// Text style for stdout under `--color`.
pub fn style(color: ColorArg) -> Style {
    let on = match color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    Style { color: on }
}

/// Resolves the filter flags into library filters (`--relative-to newest`
/// reads the newest article's date from `index`).
pub fn filters(args: &FilterArgs, index: &NewsIndex) -> Result<Filters> {
    let mut f = Filters {
        sources: args.source.clone(),
        persons: args.person.clone(),
        orgs: args.org.clone(),
        places: args.place.clone(),
        entities: args.entity.clone(),
        topics: args.topic.clone(),
        ..Filters::default()
    };
    if let Some(from) = &args.from {
        f.from = Some(
            period_bounds(from)
                .map_err(anyhow::Error::msg)
                .context("--from")?
                .0,
        );
    }
    if let Some(to) = &args.to {
        f.to = Some(period_bounds(to).map_err(anyhow::Error::msg).context("--to")?.1);
    }
    if let Some(on) = &args.on {
        f.on(on).map_err(anyhow::Error::msg).context("--on")?;
    }
    let reference = || -> Result<NaiveDate> {
        match args.relative_to {
            RelativeTo::Today => Ok(chrono::Local::now().date_naive()),
            RelativeTo::Newest => newest_day(index)?
                .context("--relative-to newest: the index has no dated article to count back from"),
        }
    };
    let day = |text: &str, first: bool, flag: &str| -> Result<NaiveDate> {
        // A plain date needs no reference day (nor a look at the index).
        let reference = match Ago::parse(text) {
            Some(_) => reference()?,
            None => NaiveDate::MIN,
        };
        ago(text, reference, first)
            .map_err(anyhow::Error::msg)
            .context(flag.to_string())
    };
    if let Some(since) = &args.since {
        let d = day(since, true, "--since")?;
        f.from = Some(f.from.map_or(d, |from| from.max(d)));
    }
    if let Some(until) = &args.until {
        let d = day(until, false, "--until")?;
        f.to = Some(f.to.map_or(d, |to| to.min(d)));
    }
    Ok(f)
}

/// The dates a histogram or timeline spans: the filters' where given, else
/// the first and last match's; `None` when neither says.
pub fn span(days: &DayCounts, filters: &Filters) -> Option<(NaiveDate, NaiveDate)> {
    let matches = days.span();
    Some((
        filters.from.or(matches.map(|s| s.0))?,
        filters.to.or(matches.map(|s| s.1))?,
    ))
}

/// The buckets of a histogram or timeline over its [`span`].
pub fn bars(days: &DayCounts, by: Bucket, filters: &Filters) -> Result<Vec<Bar>> {
    match span(days, filters) {
        Some((first, last)) => bars_between(days, by, first, last),
        None => Ok(Vec::new()),
    }
}

/// The buckets of a histogram or timeline from `first` to `last`.
pub fn bars_between(days: &DayCounts, by: Bucket, first: NaiveDate, last: NaiveDate) -> Result<Vec<Bar>> {
    newsdex::query::histogram(days, by, Some(first), Some(last)).with_context(|| {
        format!(
            "more than {} buckets from {first} to {last}: count by a longer period or narrow the dates",
            newsdex::query::histogram::MAX_BARS,
        )
    })
}

/// The library's order for `--sort`.
pub fn sort(arg: SortArg) -> Sort {
    match arg {
        SortArg::Relevance => Sort::Relevance,
        SortArg::Newest => Sort::Newest,
        SortArg::Oldest => Sort::Oldest,
    }
}
