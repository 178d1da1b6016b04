//! The `parmine` command line: mine a block, benchmark the strategies.

#[cfg(not(target_arch = "wasm32"))]
mod cli;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

// The crate is also built for wasm32, where the library is the product.
#[cfg(target_arch = "wasm32")]
fn main() {}
