//! Serving files from the `--static PREFIX=DIR` mounts: longest prefix wins,
//! a URL ending in `/` serves that directory's index.html, nothing is listed,
//! and no decoded path can climb out of its directory.

use std::io;
use std::path::{Path, PathBuf};

use crate::cli::Mount;
use crate::http::{percent_decode, Response};

pub struct StaticFiles {
    /// Longest prefix first, so the first match is the most specific.
    mounts: Vec<Mount>,
}

impl StaticFiles {
    pub fn new(mut mounts: Vec<Mount>) -> Self {
        mounts.sort_by_key(|mount| std::cmp::Reverse(mount.prefix.len()));
        StaticFiles { mounts }
    }

    /// Mounts whose directory does not exist (yet): worth a warning, not an
    /// error, since `make demo` may build `pkg/` after starting the server.
    pub fn missing_dirs(&self) -> impl Iterator<Item = &Mount> {
        self.mounts.iter().filter(|mount| !mount.dir.is_dir())
    }

    pub async fn serve(&self, raw_path: &str) -> Response {
        let Some(file) = self.resolve(raw_path) else {
            return not_found();
        };
        let content_type = content_type(&file);
        // File reads block; keep them off the single runtime thread so
        // WebSocket timers are not delayed by a large .wasm.
        let read = tokio::task::spawn_blocking(move || std::fs::read(file)).await;
        match read {
            Ok(Ok(body)) => Response::new(200)
                .header("Content-Type", content_type)
                .header("Cache-Control", "no-store")
                .body(body),
            Ok(Err(error)) if is_missing(&error) => not_found(),
            Ok(Err(error)) => Response::text(500, format!("cannot read file: {error}")),
            Err(error) => Response::text(500, format!("file read task failed: {error}")),
        }
    }

    /// Maps a raw (percent-encoded) URL path to a file inside a mount, or
    /// `None` for anything unsafe or unmapped.
    fn resolve(&self, raw_path: &str) -> Option<PathBuf> {
        let decoded = String::from_utf8(percent_decode(raw_path)?).ok()?;
        let mount = self
            .mounts
            .iter()
            .find(|mount| is_under(&decoded, &mount.prefix))?;
        let rest = decoded[mount.prefix.len()..].trim_start_matches('/');
        let mut file = mount.dir.clone();
        for segment in rest.split('/').filter(|segment| !segment.is_empty()) {
            // Checked after decoding, so `%2e%2e` and `%2f` cannot sneak
            // through; backslashes are refused for Windows' sake.
            let unsafe_segment = segment == "."
                || segment == ".."
                || segment.contains(['\\', '\0'])
                || Path::new(segment).is_absolute();
            if unsafe_segment {
                return None;
            }
            file.push(segment);
        }
        if rest.is_empty() || rest.ends_with('/') {
            file.push("index.html");
        }
        file.is_file().then_some(file)
    }
}

fn is_under(path: &str, prefix: &str) -> bool {
    prefix == "/"
        || path == prefix
        || path
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('/'))
}

fn is_missing(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::NotFound | io::ErrorKind::IsADirectory
    )
}

fn not_found() -> Response {
    Response::text(404, "not found")
}

fn content_type(file: &Path) -> &'static str {
    let extension = file
        .extension()
        .and_then(|extension| extension.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("json" | "map") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        // TypeScript sources and .d.ts files: readable in the browser.
        Some("ts" | "txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(root: &Path) -> StaticFiles {
        StaticFiles::new(vec![
            Mount {
                prefix: "/".into(),
                dir: root.join("demo"),
            },
            Mount {
                prefix: "/pkg".into(),
                dir: root.join("pkg"),
            },
        ])
    }

    fn fixture(name: &str) -> PathBuf {
        let root =
            std::env::temp_dir().join(format!("devserver-static-{name}-{}", std::process::id()));
        std::fs::create_dir_all(root.join("demo/sub")).unwrap();
        std::fs::create_dir_all(root.join("pkg")).unwrap();
        std::fs::write(root.join("demo/index.html"), "<h1>demo</h1>").unwrap();
        std::fs::write(root.join("demo/sub/index.html"), "sub").unwrap();
        std::fs::write(root.join("pkg/lib.wasm"), [0, 97, 115, 109]).unwrap();
        std::fs::write(root.join("secret.txt"), "secret").unwrap();
        root
    }

    #[test]
    fn resolves_longest_prefix_and_index() {
        let root = fixture("resolve");
        let files = files(&root);
        assert_eq!(files.resolve("/"), Some(root.join("demo/index.html")));
        assert_eq!(
            files.resolve("/sub/"),
            Some(root.join("demo/sub/index.html"))
        );
        assert_eq!(
            files.resolve("/pkg/lib.wasm"),
            Some(root.join("pkg/lib.wasm"))
        );
        assert_eq!(
            files.resolve("/pkg/lib%2ewasm"),
            Some(root.join("pkg/lib.wasm"))
        );
        // A directory without its trailing slash is not listed or guessed.
        assert_eq!(files.resolve("/sub"), None);
        // `/pkgx` is not under `/pkg`: it falls back to the root mount.
        assert_eq!(files.resolve("/pkgx/lib.wasm"), None);
        std::fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn refuses_traversal_in_every_spelling() {
        let root = fixture("traversal");
        let files = files(&root);
        for path in [
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/pkg/..%2fsecret.txt",
            "/pkg/%2E%2E%2F..%2Fsecret.txt",
            "/sub/..\\..\\secret.txt",
            "/%00",
            "/%zz",
        ] {
            assert_eq!(files.resolve(path), None, "{path}");
        }
        std::fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn content_types() {
        let cases = [
            ("a.html", "text/html; charset=utf-8"),
            ("a.mjs", "text/javascript; charset=utf-8"),
            ("a.wasm", "application/wasm"),
            ("a.d.ts", "text/plain; charset=utf-8"),
            ("a.js.map", "application/json"),
            ("A.PNG", "image/png"),
            ("a.bin", "application/octet-stream"),
            ("Makefile", "application/octet-stream"),
        ];
        for (name, expected) in cases {
            assert_eq!(content_type(Path::new(name)), expected, "{name}");
        }
    }
}
