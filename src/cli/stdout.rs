//! Writing the commands' results to stdout, and what a failed write does.
//!
//! `println!` panics when stdout is gone (`parmine mine | head -1`: a broken
//! pipe) or full (a full disk): exit 101, a panic message, a backtrace with
//! `RUST_BACKTRACE=1`. [`outln!`] writes the same line but ends the command
//! as a Unix tool does instead: quietly on a broken pipe (the reader has all
//! it wanted, as `grep` and `ripgrep` do), with one line and exit 1 on any
//! other write error.

use std::io::ErrorKind;
use std::process::exit;

/// `println!` that ends the process cleanly when stdout cannot be written
/// (see [`write_failed`]).
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let mut out = std::io::stdout().lock();
        if let Err(err) = writeln!(out, $($arg)*).and_then(|()| out.flush()) {
            $crate::cli::stdout::write_failed(&err);
        }
    }};
}
pub(crate) use outln;

/// The exit status after a broken pipe: success, as `ripgrep` gives, since
/// the reader chose to stop reading (and so that `set -o pipefail` scripts
/// that take a command's first lines do not fail).
pub const BROKEN_PIPE_EXIT: i32 = 0;

/// End the process after a failed write to stdout: silently with
/// [`BROKEN_PIPE_EXIT`] on a broken pipe, else one line on stderr and exit 1.
/// It ends the process rather than returning an error because the write may
/// come in the middle of a long command (a bench row after minutes of
/// measuring) that has nothing left to do once its output is gone.
pub fn write_failed(err: &std::io::Error) -> ! {
    if err.kind() == ErrorKind::BrokenPipe {
        exit(BROKEN_PIPE_EXIT);
    }
    eprintln!("error: cannot write the output to stdout: {err}");
    exit(1);
}
