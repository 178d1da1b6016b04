//! `parmine serve`: the web page on localhost, cross-origin isolated.
//!
//! The threaded wasm build needs `SharedArrayBuffer`, which browsers give
//! only to cross-origin isolated pages: every response carries
//! `Cross-Origin-Opener-Policy: same-origin` and
//! `Cross-Origin-Embedder-Policy: require-corp`. Files come from tower-http's
//! `ServeDir`, which sends `application/wasm` and `text/javascript` as the
//! browser requires for wasm streaming compilation and module workers.

use std::net::SocketAddr;
use std::path::PathBuf;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
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

async fn serve(args: Args) -> Result<()> {
    let mut app = Router::new()
        .fallback_service(ServeDir::new(&args.dir))
        // A page under development: always revalidate.
        .layer(header_layer(header::CACHE_CONTROL, "no-cache"))
        .layer(axum::middleware::from_fn(typescript_as_text));
    if !args.no_isolation {
        app = app
            .layer(header_layer(HeaderName::from_static("cross-origin-opener-policy"), "same-origin"))
            .layer(header_layer(HeaderName::from_static("cross-origin-embedder-policy"), "require-corp"));
    }
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], args.port)))
        .await
        .map_err(|e| Error::InvalidArgument(format!("cannot listen on port {}: {e}", args.port)))?;
    let addr = listener.local_addr().map_err(|e| Error::InvalidArgument(e.to_string()))?;
    println!("parmine: serving {} at http://{addr}/", args.dir.display());
    if args.no_isolation {
        println!("parmine: without COOP/COEP headers (the page falls back to the single-threaded build)");
    }
    println!("parmine: open http://{addr}/ in Chrome, Edge or Firefox; Ctrl-C stops");
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| Error::InvalidArgument(format!("server error: {e}")))
}
