//! Every `--help` shows real examples, and the global options once, under their own heading.

use clap::{CommandFactory, Parser};
use tsudoi::cli::Cli;

use crate::tools_util::run;

/// A command line as a shell splits it: words, double quotes kept together; up to a comment,
/// a pipe or a redirection.
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            '#' | '|' | '>' | '&' if !quoted => break,
            c if c.is_whitespace() && !quoted => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

fn subcommands() -> Vec<String> {
    Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect()
}

#[test]
fn every_help_has_two_or_three_examples_that_parse() {
    let mut pages = vec![Vec::new()];
    pages.extend(subcommands().into_iter().map(|c| vec![c]));
    for page in pages {
        let mut args: Vec<&str> = page.iter().map(String::as_str).collect();
        args.push("--help");
        let out = run(&args);
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
        let examples: Vec<&str> = out
            .stdout
            .split("\nExamples:\n")
            .nth(1)
            .unwrap_or_else(|| panic!("{args:?} has no examples:\n{}", out.stdout))
            .lines()
            .map(str::trim)
            .filter(|l| l.starts_with("tsudoi ") || l.contains("<(tsudoi "))
            .collect();
        assert!((2..=3).contains(&examples.len()), "{args:?}: {examples:?}");
        for example in examples.iter().filter(|e| e.starts_with("tsudoi ")) {
            let words = shell_words(example);
            if let Err(e) = Cli::try_parse_from(&words) {
                panic!("{args:?}: the example `{example}` does not parse: {e}");
            }
        }
    }
}

#[test]
fn global_options_are_shown_once_apart_from_each_commands_own() {
    let globals = [
        "--dir <DIR>",
        "--json",
        "--now <TIME>",
        "--color <WHEN>",
        "--quiet",
        "--verbose",
        "--token-file",
        "--max-wait",
    ];
    for command in ["list", "create", "tick", "announce"] {
        let out = run(&[command, "--help"]);
        let (own, global) = out
            .stdout
            .split_once("\nGlobal options:\n")
            .unwrap_or_else(|| panic!("{command}: no global heading:\n{}", out.stdout));
        let global = global.split("\nExamples:\n").next().unwrap();
        for option in globals {
            assert!(
                !own.contains(option),
                "{command}: {option} among its own options:\n{own}"
            );
            assert_eq!(
                global.matches(option).count(),
                1,
                "{command}: {option}:\n{global}"
            );
        }
    }
}

#[test]
fn the_top_level_description_names_what_tsudoi_does_today() {
    let out = run(&["--help"]);
    for word in ["announcement page", "Discord post", "role", "viewer URL", "tick"] {
        assert!(out.stdout.contains(word), "{word}:\n{}", out.stdout);
    }
}
