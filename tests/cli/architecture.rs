//! The layering ARCHITECTURE.md promises, checked on the source: no import loop between
//! top-level modules, and nothing outside `commands/` imports `commands/` or `doctor/`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Top-level module → the top-level modules its non-test code names as `crate::…`.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut pending = vec![src.clone()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let relative = path.strip_prefix(&src).unwrap();
            let first = relative
                .components()
                .next()
                .unwrap()
                .as_os_str()
                .to_str()
                .unwrap();
            let top = first.trim_end_matches(".rs").to_string();
            if top == "lib" || top == "main" {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            // Unit tests may use anything.
            let code = text.split("#[cfg(test)]\nmod tests").next().unwrap();
            let used = edges.entry(top.clone()).or_default();
            used.extend(named_modules(code).into_iter().filter(|m| *m != top));
        }
    }
    let known: BTreeSet<String> = edges.keys().cloned().collect();
    for used in edges.values_mut() {
        used.retain(|m| known.contains(m));
    }
    edges
}

/// The modules named after `crate::`, also inside `crate::{a, b::c}`.
fn named_modules(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            found.extend(group.split(',').filter_map(|part| ident(part.trim_start())));
        } else if let Some(name) = ident(rest) {
            found.insert(name);
        }
    }
    found
}

fn ident(text: &str) -> Option<String> {
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    (end > 0).then(|| text[..end].to_string())
}

/// Whether `to` is reachable from `from`.
fn reaches(edges: &BTreeMap<String, BTreeSet<String>>, from: &str, to: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut pending = vec![from.to_string()];
    while let Some(module) = pending.pop() {
        for next in &edges[&module] {
            if next == to {
                return true;
            }
            if seen.insert(next.clone()) {
                pending.push(next.clone());
            }
        }
    }
    false
}

#[test]
fn no_import_loop_between_top_level_modules() {
    let edges = imports();
    assert!(edges.len() > 10, "{edges:?}");
    let loops: Vec<_> = edges
        .iter()
        .flat_map(|(module, used)| used.iter().map(move |next| (module, next)))
        .filter(|(module, next)| reaches(&edges, next, module))
        .collect();
    assert!(loops.is_empty(), "imports that close a loop: {loops:?}");
}

#[test]
fn only_commands_import_commands_and_doctor() {
    let edges = imports();
    let upward: Vec<_> = edges
        .iter()
        .filter(|(module, _)| !matches!(module.as_str(), "commands" | "doctor"))
        .filter(|(_, used)| used.contains("commands") || used.contains("doctor"))
        .collect();
    assert!(upward.is_empty(), "{upward:?}");
}
