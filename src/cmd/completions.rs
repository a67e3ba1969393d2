//! `newsdex completions SHELL`: shell completion scripts from the CLI definition.

use std::io::Write;

use anyhow::Result;
use clap::CommandFactory;

use super::Status;
use crate::cli::{Cli, CompletionsArgs};

/// Prints the completion script for one shell.
pub fn run(args: &CompletionsArgs, out: &mut dyn Write) -> Result<Status> {
    clap_complete::generate(args.shell, &mut Cli::command(), "newsdex", out);
    Ok(Status::Found)
}
