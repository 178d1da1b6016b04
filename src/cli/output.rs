//! Shared bits of terminal output: number formatting, progress display.

use indicatif::{ProgressBar, ProgressStyle};

/// `12.3M`-style short form of a count or rate.
pub fn format_count(x: f64) -> String {
    match x {
        x if x >= 1e9 => format!("{:.2}G", x / 1e9),
        x if x >= 1e6 => format!("{:.2}M", x / 1e6),
        x if x >= 1e3 => format!("{:.1}k", x / 1e3),
        x => format!("{x:.0}"),
    }
}

/// A spinner on stderr (hidden when stderr is not a terminal, or for JSON).
pub fn spinner(hidden: bool) -> ProgressBar {
    if hidden {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    bar.enable_steady_tick(std::time::Duration::from_millis(100));
    bar
}

/// A progress bar of `len` steps on stderr (hidden as [`spinner`]).
pub fn bar(len: u64, hidden: bool) -> ProgressBar {
    if hidden {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} {msg} [{elapsed}]").expect("a valid template"),
    );
    bar
}

/// The control of the job in flight, which Ctrl-C cancels.
static CURRENT: std::sync::Mutex<Option<std::sync::Arc<parmine::Control>>> = std::sync::Mutex::new(None);

/// Seconds of measuring before the expected time of a search is judged.
const ESTIMATE_AFTER_S: f64 = 2.0;
/// Expected times above this get a warning on stderr.
const WARN_ABOVE_S: f64 = 60.0;

/// `seconds` as `45 s`, `12 min`, `3.5 hours` or `2.1 days`.
pub fn format_duration(seconds: f64) -> String {
    match seconds {
        s if s >= 2.0 * 86400.0 => format!("{:.1} days", s / 86400.0),
        s if s >= 2.0 * 3600.0 => format!("{:.1} hours", s / 3600.0),
        s if s >= 120.0 => format!("{:.0} min", s / 60.0),
        s => format!("{s:.0} s"),
    }
}

/// Run `job` on its own thread with a fresh control, showing live attempts
/// and rate on a spinner (hidden for JSON). With `expected` attempts given,
/// a search whose expected time at the measured rate is over a minute gets
/// one warning line on stderr, so a mistake is not a silent wait of days.
/// Ctrl-C cancels the control: the job stops at its next batch and returns
/// [`parmine::Error::Cancelled`] with what it tried (the command then exits
/// 130).
pub fn run_with_progress<R: Send>(
    hidden: bool,
    expected: Option<f64>,
    job: impl FnOnce(std::sync::Arc<parmine::Control>) -> parmine::Result<R> + Send,
) -> parmine::Result<R> {
    static HANDLER: std::sync::Once = std::sync::Once::new();
    HANDLER.call_once(|| {
        // Without a handler Ctrl-C still ends the process, only not cleanly.
        let _ = ctrlc::set_handler(|| {
            if let Some(control) = CURRENT.lock().ok().and_then(|c| c.clone()) {
                control.cancel();
            }
        });
    });
    let control = std::sync::Arc::new(parmine::Control::new());
    *CURRENT.lock().expect("not poisoned") = Some(control.clone());
    let progress = spinner(hidden);
    let result = std::thread::scope(|scope| {
        let worker = scope.spawn(|| job(control.clone()));
        let started = web_time::Instant::now();
        let mut judged = expected.is_none();
        while !worker.is_finished() {
            let attempts = control.attempts();
            let seconds = started.elapsed().as_secs_f64();
            let rate = attempts as f64 / seconds.max(1e-9);
            progress.set_message(format!(
                "{} attempts, {}/s",
                format_count(attempts as f64),
                format_count(rate)
            ));
            if !judged && seconds >= ESTIMATE_AFTER_S && rate > 0.0 {
                judged = true;
                let expected = expected.unwrap_or(0.0);
                let eta = expected / rate;
                if eta > WARN_ABOVE_S {
                    progress.suspend(|| {
                        eprintln!(
                            "warning: about {} attempts are expected; at {}/s that is about {} (Ctrl-C stops)",
                            format_count(expected),
                            format_count(rate),
                            format_duration(eta)
                        )
                    });
                }
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        worker.join().expect("the job's thread does not panic")
    });
    progress.finish_and_clear();
    *CURRENT.lock().expect("not poisoned") = None;
    result
}
