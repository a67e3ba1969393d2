//! One module per subcommand. Each `run` resolves its arguments into a
//! library call, writes to the given output, and returns the exit status:
//! 0 with results, 1 with none (search), 2 on an error.

pub mod bench;
pub mod completions;
pub mod facets;
pub mod index;
pub mod ner;
pub mod search;
pub mod show;
pub mod stats;

use std::io::IsTerminal;

use anyhow::{Context, Result};
use newsdex::Filters;
use newsdex::output::Style;
use newsdex::query::filter::period_bounds;

use crate::cli::{ColorArg, FilterArgs};

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

/// Resolves the filter flags into library filters.
pub fn filters(args: &FilterArgs) -> Result<Filters> {
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
    Ok(f)
}
