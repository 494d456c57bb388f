//! The build's compiled assets as the server names them in the pages it writes.

use leptos::prelude::LeptosOptions;

/// The stylesheet's file name: content-hashed when cargo-leptos hashed the assets
/// (it writes `hash.txt` beside the server binary).
pub(crate) fn css_href(options: &LeptosOptions) -> String {
    let name = options.output_name.to_string();
    let hash = std::env::current_exe()
        .ok()
        .and_then(|exe| std::fs::read_to_string(exe.with_file_name(options.hash_file.as_ref())).ok())
        .and_then(|text| {
            text.lines().find_map(|l| l.split_once(':').filter(|(k, _)| k.trim() == "css").map(|(_, v)| v.trim().to_string()))
        });
    match hash {
        Some(h) if options.hash_files => format!("/{}/{name}.{h}.css", options.site_pkg_dir),
        _ => format!("/{}/{name}.css", options.site_pkg_dir),
    }
}
