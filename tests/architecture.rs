//! The house's floors, checked on the source itself (ARCHITECTURE.md): no module imports one
//! above it, no two files import each other (directly or round a circle), and no file of
//! `src/` grows past the size a reader takes in at once.
//!
//! Imports are read from the text: every `crate::…`, `super::…` and `self::…` path outside
//! comments and outside the `#[cfg(test)]` module at a file's end (a unit test may build a
//! session to test a lower layer), with `use` trees expanded, each resolved to the file that
//! defines it.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The library's top-level modules, lowest floor first. A module may import only modules on
/// a lower floor; modules on one floor do not import each other.
const FLOORS: &[&[&str]] = &[
    &["paged", "timefmt", "draw", "view_link", "filter_forms", "app"],
    &["capture"],
    &["decode"],
    &["tcp"],
    &["reanalysis"],
    &["session"],
    &["connection"],
    &["follow", "merge"],
    &["messages"],
    &["diagram", "graph", "listing", "filter_complete"],
    &["report", "service"],
    &["ui", "fuzz_checks"],
];

/// Lines a source file may hold (the "≲ 400", with room for a doc comment).
const MAX_LINES: usize = 420;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file that counts as its imports: comments removed, the test module cut off.
fn code(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("#[cfg(") && trimmed.contains("test") {
            break;
        }
        if trimmed.starts_with("//") {
            continue;
        }
        out.push_str(line.split(" // ").next().unwrap_or(""));
        out.push('\n');
    }
    out
}

/// Every path a file names: `a::b::{c, d::e}` gives `a::b::c` and `a::b::d::e`.
fn paths(code: &str) -> Vec<Vec<String>> {
    let bytes: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts = ["crate::", "super::", "self::"].iter().find(|p| code_at(&bytes, i, p));
        let boundary = i == 0 || !(bytes[i - 1].is_alphanumeric() || bytes[i - 1] == '_' || bytes[i - 1] == ':');
        match starts {
            Some(_) if boundary => {
                let (tree, end) = use_tree(&bytes, i);
                out.extend(tree);
                i = end;
            }
            _ => i += 1,
        }
    }
    out
}

fn code_at(chars: &[char], at: usize, text: &str) -> bool {
    text.chars().enumerate().all(|(k, c)| chars.get(at + k) == Some(&c))
}

/// Reads a path, or a `use` tree, starting at `at`: the paths it names and where it ends.
fn use_tree(chars: &[char], mut at: usize) -> (Vec<Vec<String>>, usize) {
    let mut prefix = Vec::new();
    loop {
        let start = at;
        while at < chars.len() && (chars[at].is_alphanumeric() || chars[at] == '_') {
            at += 1;
        }
        if at > start {
            prefix.push(chars[start..at].iter().collect::<String>());
        }
        if code_at(chars, at, "::{") {
            at += 3;
            let mut out = Vec::new();
            loop {
                while at < chars.len() && (chars[at].is_whitespace() || chars[at] == ',') {
                    at += 1;
                }
                if at >= chars.len() || chars[at] == '}' {
                    return (out, at + 1);
                }
                let (inner, end) = use_tree(chars, at);
                out.extend(inner.into_iter().map(|p| prefix.iter().cloned().chain(p).collect()));
                // `self` inside braces names the prefix itself.
                if end == at {
                    at += 1;
                } else {
                    at = end;
                }
            }
        } else if code_at(chars, at, "::") {
            at += 2;
        } else {
            return (vec![prefix], at);
        }
    }
}

/// The module directory a file's `self::` names, and its parent's for `super::`.
fn module_dir(file: &Path) -> PathBuf {
    let name = file.file_stem().unwrap().to_str().unwrap();
    let parent = file.parent().unwrap().to_path_buf();
    if name == "mod" || name == "lib" || name == "main" {
        parent
    } else {
        parent.join(name)
    }
}

/// The file that defines the longest module prefix of `path` (None: not a module of ours).
fn resolve(file: &Path, root: &Path, path: &[String]) -> Option<PathBuf> {
    let mut dir = module_dir(file);
    let rest;
    match path.first()?.as_str() {
        "crate" => {
            dir = crate_root(file, root);
            rest = &path[1..];
        }
        "self" => rest = &path[1..],
        "super" => {
            let mut k = 0;
            while path.get(k).is_some_and(|p| p == "super") {
                dir = dir.parent()?.to_path_buf();
                k += 1;
            }
            rest = &path[k..];
        }
        _ => return None,
    }
    let mut found = None;
    for segment in rest {
        let as_file = dir.join(format!("{segment}.rs"));
        let as_dir = dir.join(segment).join("mod.rs");
        if as_file.is_file() {
            found = Some(as_file);
        } else if as_dir.is_file() {
            found = Some(as_dir);
        } else {
            break;
        }
        dir = dir.join(segment);
    }
    found.or_else(|| {
        let own = dir.join("mod.rs");
        own.is_file().then_some(own)
    })
}

/// Where `crate::` starts for a file: `src/` for the library, a binary's own folder for its
/// files (`src/bin/worker/`: `main.rs` declares the others with `#[path]`).
fn crate_root(file: &Path, root: &Path) -> PathBuf {
    match file.strip_prefix(root.join("bin")) {
        Ok(rest) if rest.components().count() > 1 => root.join("bin").join(rest.components().next().unwrap()),
        _ => root.to_path_buf(),
    }
}

/// Each file's imports of other files of the same crate (the library's, or a binary's).
fn import_graph() -> BTreeMap<PathBuf, BTreeSet<PathBuf>> {
    let root = src();
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let mut graph = BTreeMap::new();
    for file in &files {
        let code = code(&fs::read_to_string(file).unwrap());
        let mut targets = BTreeSet::new();
        for path in paths(&code) {
            if let Some(target) = resolve(file, &root, &path) {
                // A module file names its own children to declare and re-export them.
                let declares = module_dir(file) != crate_root(file, &root) && target.starts_with(module_dir(file));
                if target != *file && !declares && target != root.join("lib.rs") && !target.ends_with("main.rs") {
                    targets.insert(target);
                }
            }
        }
        graph.insert(file.clone(), targets);
    }
    graph
}

fn top_module(root: &Path, file: &Path) -> String {
    let first = file.strip_prefix(root).unwrap().components().next().unwrap();
    first.as_os_str().to_str().unwrap().trim_end_matches(".rs").to_string()
}

fn floor(module: &str) -> Option<usize> {
    FLOORS.iter().position(|f| f.contains(&module))
}

#[test]
fn every_top_level_module_has_a_floor() {
    let root = src();
    let graph = import_graph();
    let unknown: BTreeSet<String> =
        graph.keys().map(|f| top_module(&root, f)).filter(|m| m != "lib" && m != "bin" && floor(m).is_none()).collect();
    assert!(unknown.is_empty(), "modules with no floor in FLOORS (add them where they belong): {unknown:?}");
}

#[test]
fn no_module_imports_one_above_it_or_beside_it() {
    let root = src();
    let mut wrong = Vec::new();
    for (file, targets) in import_graph() {
        let from = top_module(&root, &file);
        let Some(from_floor) = floor(&from) else { continue };
        for target in targets {
            let to = top_module(&root, &target);
            if to != from && floor(&to).is_some_and(|f| f >= from_floor) {
                wrong.push(format!("{} imports {}", file.strip_prefix(&root).unwrap().display(), target.strip_prefix(&root).unwrap().display()));
            }
        }
    }
    assert!(wrong.is_empty(), "imports that go up or sideways:\n{}", wrong.join("\n"));
}

#[test]
fn no_import_circle_between_files() {
    let root = src();
    let graph = import_graph();
    // Depth-first search with colours; a grey file met again closes a circle.
    fn visit(f: &PathBuf, graph: &BTreeMap<PathBuf, BTreeSet<PathBuf>>, colour: &mut BTreeMap<PathBuf, u8>, stack: &mut Vec<PathBuf>, circles: &mut Vec<Vec<PathBuf>>) {
        colour.insert(f.clone(), 1);
        stack.push(f.clone());
        for t in graph.get(f).into_iter().flatten() {
            match colour.get(t).copied().unwrap_or(0) {
                0 => visit(t, graph, colour, stack, circles),
                1 => {
                    let at = stack.iter().position(|s| s == t).unwrap();
                    circles.push(stack[at..].to_vec());
                }
                _ => {}
            }
        }
        stack.pop();
        colour.insert(f.clone(), 2);
    }
    let mut colour = BTreeMap::new();
    let mut circles = Vec::new();
    for f in graph.keys() {
        if !colour.contains_key(f) {
            visit(f, &graph, &mut colour, &mut Vec::new(), &mut circles);
        }
    }
    let shown: Vec<String> = circles
        .iter()
        .map(|c| c.iter().map(|f| f.strip_prefix(&root).unwrap().display().to_string()).collect::<Vec<_>>().join(" → "))
        .collect();
    assert!(shown.is_empty(), "files that import each other:\n{}", shown.join("\n"));
}

#[test]
fn no_source_file_is_longer_than_a_reader_takes_in() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let lines = fs::read_to_string(f).unwrap().lines().count();
            (lines > MAX_LINES).then(|| format!("{}: {lines} lines", f.display()))
        })
        .collect();
    assert!(long.is_empty(), "files over {MAX_LINES} lines (split them by job):\n{}", long.join("\n"));
}

/// The reader of imports expands `use` trees, skips comments and resolves paths to files.
#[test]
fn the_reader_of_imports_expands_use_trees() {
    let text = "use crate::tcp::{seq::SeqNumber, lifecycle::{Wire, TcpState}};\nlet x = super::super::draw::ticks::step(1.0);\n// use crate::ui::App;\n";
    let found: Vec<String> = paths(&code(text)).iter().map(|p| p.join("::")).collect();
    assert_eq!(found, ["crate::tcp::seq::SeqNumber", "crate::tcp::lifecycle::Wire", "crate::tcp::lifecycle::TcpState", "super::super::draw::ticks::step"]);
    let root = src();
    let layout = root.join("diagram/ladder/layout.rs");
    assert_eq!(resolve(&layout, &root, &["super".into(), "super".into(), "explain".into(), "close_caption".into()]), Some(root.join("diagram/explain.rs")));
    assert_eq!(resolve(&layout, &root, &["super".into(), "rows".into(), "groups".into()]), Some(root.join("diagram/ladder/rows.rs")));
    assert_eq!(resolve(&layout, &root, &["crate".into(), "tcp".into(), "lifecycle".into(), "Wire".into()]), Some(root.join("tcp/lifecycle/mod.rs")));
}
