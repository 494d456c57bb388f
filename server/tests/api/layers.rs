//! Imports point one way: in `domain`, `app` and `server`, no top-level module reaches,
//! through `crate::` paths, a module that reaches back to it. A circle is what made
//! the code base blur before; this keeps it from coming back.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("source folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") && path.file_name().is_some_and(|n| n != "tests.rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to (`store/sync.rs` → `store`); `None` for the
/// crate root.
fn top(root: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(root).ok()?;
    let first = rel.components().next()?.as_os_str().to_string_lossy().to_string();
    let name = first.trim_end_matches(".rs").to_string();
    (!matches!(name.as_str(), "lib" | "main")).then_some(name)
}

/// Top-level module → the top-level modules it names through `crate::`, unit tests
/// left out (they may look anywhere).
fn graph(root: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    sources(root, &mut files);
    let modules: BTreeSet<String> = files.iter().filter_map(|f| top(root, f)).collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = modules.iter().map(|m| (m.clone(), BTreeSet::new())).collect();
    for file in &files {
        let Some(from) = top(root, file) else { continue };
        let text = std::fs::read_to_string(file).expect("source");
        let text = text.split("#[cfg(test)]\nmod tests").next().unwrap_or_default();
        let code: String = text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
        for (i, _) in code.match_indices("crate::") {
            let rest = &code[i + "crate::".len()..];
            let names: Vec<&str> = match rest.strip_prefix('{') {
                Some(group) => group.split('}').next().unwrap_or_default().split(',').map(|n| n.trim().split("::").next().unwrap_or_default()).collect(),
                None => vec![rest.split(|c: char| !(c.is_alphanumeric() || c == '_')).next().unwrap_or_default()],
            };
            for name in names {
                if name != from && modules.contains(name) {
                    edges.get_mut(&from).expect("module").insert(name.to_string());
                }
            }
        }
    }
    edges
}

/// A circle through `start`, if there is one.
fn circle(edges: &BTreeMap<String, BTreeSet<String>>, start: &str) -> Option<Vec<String>> {
    let mut stack = vec![(start.to_string(), vec![start.to_string()])];
    let mut seen = BTreeSet::new();
    while let Some((at, path)) = stack.pop() {
        for next in &edges[&at] {
            if next == start {
                return Some(path.iter().cloned().chain([start.to_string()]).collect());
            }
            if seen.insert(next.clone()) {
                stack.push((next.clone(), path.iter().cloned().chain([next.clone()]).collect()));
            }
        }
    }
    None
}

#[test]
fn no_crate_has_an_import_circle() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    for krate in ["../app/domain/src", "../app/src", "src"] {
        let root = here.join(krate);
        let edges = graph(&root);
        assert!(edges.len() > 5, "{krate}: modules found: {edges:?}");
        for m in edges.keys() {
            if let Some(c) = circle(&edges, m) {
                panic!("{krate}: import circle {}", c.join(" → "));
            }
        }
    }
}

#[test]
fn the_store_layer_knows_no_http() {
    let mut files = Vec::new();
    sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src/store"), &mut files);
    for f in files {
        let text = std::fs::read_to_string(&f).expect("source");
        for forbidden in ["axum::", "crate::routes", "crate::extract"] {
            assert!(!text.contains(forbidden), "{} uses {forbidden}: the store takes no HTTP", f.display());
        }
    }
}
