//! The build's compiled assets as the server names them in the pages it writes.

use leptos::prelude::LeptosOptions;

/// The front end's files: content-hashed when cargo-leptos hashed the assets (it
/// writes `hash.txt`, a `kind: hash` line per file, beside the server binary).
pub(crate) fn front_end(options: &LeptosOptions) -> app::Assets {
    let hashes = std::env::current_exe()
        .ok()
        .and_then(|exe| std::fs::read_to_string(exe.with_file_name(options.hash_file.as_ref())).ok())
        .unwrap_or_default();
    let named = |kind: &str| {
        let name = options.output_name.as_ref();
        let hash = hashes.lines().find_map(|l| l.split_once(':').filter(|(k, _)| k.trim() == kind).map(|(_, v)| v.trim()));
        match hash {
            Some(h) if options.hash_files => format!("/{}/{name}.{h}.{kind}", options.site_pkg_dir),
            _ => format!("/{}/{name}.{kind}", options.site_pkg_dir),
        }
    };
    app::Assets { css: named("css"), js: named("js"), wasm: named("wasm") }
}

/// The stylesheet's address (the public survey's page has no app, only the style).
pub(crate) fn css_href(options: &LeptosOptions) -> String {
    front_end(options).css
}
