//! `parmine serve`: the web page on localhost, cross-origin isolated.
//!
//! The threaded wasm build needs `SharedArrayBuffer`, which browsers give
//! only to cross-origin isolated pages: every response carries
//! `Cross-Origin-Opener-Policy: same-origin` and
//! `Cross-Origin-Embedder-Policy: require-corp`. Files come from tower-http's
//! `ServeDir`, which sends `application/wasm` and `text/javascript` as the
//! browser requires for wasm streaming compilation and module workers.

use super::stdout::outln;
use std::net::SocketAddr;
use std::path::PathBuf;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use parmine::{Error, Result};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// Options of `parmine serve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8000)]
    port: u16,
    /// Directory to serve (built by ./build.sh).
    #[arg(long, default_value = "www")]
    dir: PathBuf,
    /// Leave out the isolation headers, to try the page's single-threaded
    /// fallback (and its service-worker route to isolation).
    #[arg(long)]
    no_isolation: bool,
}

pub fn run(args: Args) -> Result<()> {
    if !args.dir.join("index.html").is_file() {
        return Err(Error::InvalidArgument(format!(
            "{} has no index.html: build the page first (./build.sh build)",
            args.dir.display()
        )));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::InvalidArgument(format!("cannot start the server: {e}")))?;
    runtime.block_on(serve(args))
}

fn header_layer(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))
}

/// wasm-pack's `.d.ts` files are TypeScript declarations, which the MIME
/// table takes for MPEG transport streams (`video/vnd.dlna.mpeg-tts`): serve
/// them as text, so a browser shows them instead of offering a video.
async fn typescript_as_text(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let typescript = request.uri().path().ends_with(".ts");
    let mut response = next.run(request).await;
    if typescript && response.status().is_success() {
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    }
    response
}

/// The longest request path served: far beyond any file of the page, well
/// within what a file system takes (Linux: 4096 bytes). Longer is 414.
const MAX_PATH_BYTES: usize = 2048;
/// The longest file name a file system takes (Linux's NAME_MAX, in bytes).
const MAX_SEGMENT_BYTES: usize = 255;

/// Bytes of a path segment once its `%XX` escapes are decoded.
fn decoded_len(segment: &str) -> usize {
    let bytes = segment.as_bytes();
    let escapes = bytes
        .windows(3)
        .filter(|w| w[0] == b'%' && w[1].is_ascii_hexdigit() && w[2].is_ascii_hexdigit())
        .count();
    bytes.len() - 2 * escapes
}

/// What a path no file can have gets: 414 for a path too long, 404 for a
/// segment longer than a file name can be. `ServeDir` would ask the file
/// system, get ENAMETOOLONG, and answer 500.
fn unmappable(path: &str) -> Option<StatusCode> {
    if path.len() > MAX_PATH_BYTES {
        Some(StatusCode::URI_TOO_LONG)
    } else if path.split('/').any(|segment| decoded_len(segment) > MAX_SEGMENT_BYTES) {
        Some(StatusCode::NOT_FOUND)
    } else {
        None
    }
}

/// Answer unmappable paths before `ServeDir` sees them, and log a line for
/// every server error (a 5xx is parmine's fault, and should say so where
/// the user running `serve` looks: its stderr).
async fn guard_and_log(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    if let Some(status) = unmappable(request.uri().path()) {
        return status.into_response();
    }
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    if response.status().is_server_error() {
        let shown: String = path.chars().take(200).collect();
        let more = if shown.len() < path.len() { "…" } else { "" };
        eprintln!("parmine: {} for {method} {shown}{more}", response.status());
    }
    response
}

async fn serve(args: Args) -> Result<()> {
    let mut app = Router::new()
        .fallback_service(ServeDir::new(&args.dir))
        // A page under development: always revalidate.
        .layer(header_layer(header::CACHE_CONTROL, "no-cache"))
        .layer(axum::middleware::from_fn(typescript_as_text))
        .layer(axum::middleware::from_fn(guard_and_log));
    if !args.no_isolation {
        app = app
            .layer(header_layer(HeaderName::from_static("cross-origin-opener-policy"), "same-origin"))
            .layer(header_layer(HeaderName::from_static("cross-origin-embedder-policy"), "require-corp"));
    }
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], args.port)))
        .await
        .map_err(|e| Error::InvalidArgument(format!("cannot listen on port {}: {e}", args.port)))?;
    let addr = listener.local_addr().map_err(|e| Error::InvalidArgument(e.to_string()))?;
    outln!("parmine: serving {} at http://{addr}/", args.dir.display());
    if args.no_isolation {
        outln!("parmine: without COOP/COEP headers (the page falls back to the single-threaded build)");
    }
    outln!("parmine: open http://{addr}/ in Chrome, Edge or Firefox; Ctrl-C stops");
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| Error::InvalidArgument(format!("server error: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_no_file_can_have_are_404_or_414() {
        assert_eq!(unmappable("/index.html"), None);
        assert_eq!(unmappable(&format!("/{}", "a".repeat(255))), None);
        assert_eq!(unmappable(&format!("/{}", "a".repeat(256))), Some(StatusCode::NOT_FOUND));
        // Escapes count as the bytes they decode to.
        assert_eq!(unmappable(&format!("/{}", "%C3%A9".repeat(127))), None);
        assert_eq!(unmappable(&format!("/{}", "%C3%A9".repeat(128))), Some(StatusCode::NOT_FOUND));
        assert_eq!(unmappable(&"/a".repeat(1025)), Some(StatusCode::URI_TOO_LONG));
    }
}
