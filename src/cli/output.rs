//! Shared bits of terminal output: number formatting, progress display.

use indicatif::{ProgressBar, ProgressStyle};

/// `12.3M`-style short form of a count or rate; past a thousand G, powers
/// of ten (`1.2e77`), which a person can read where 67 digits are not.
pub fn format_count(x: f64) -> String {
    match x {
        x if x >= 1e12 => format!("{x:.1e}"),
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

/// The age of the universe, 13.8 billion years, in seconds.
const UNIVERSE_AGE_S: f64 = 13.8e9 * YEAR_S;
/// A Julian year in seconds.
const YEAR_S: f64 = 365.25 * 86400.0;

/// `seconds` as `45 s`, `12 min`, `3.5 hours`, `2.1 days`, `3.4e6 years`
/// or, past that, "longer than the age of the universe".
pub fn format_duration(seconds: f64) -> String {
    match seconds {
        s if !s.is_finite() || s > UNIVERSE_AGE_S => "longer than the age of the universe".into(),
        s if s >= 1e6 * YEAR_S => format!("{:.1e} years", s / YEAR_S),
        s if s >= 2.0 * YEAR_S => format!("{:.0} years", s / YEAR_S),
        s if s >= 2.0 * 86400.0 => format!("{:.1} days", s / 86400.0),
        s if s >= 2.0 * 3600.0 => format!("{:.1} hours", s / 3600.0),
        s if s >= 120.0 => format!("{:.0} min", s / 60.0),
        s => format!("{s:.0} s"),
    }
}

/// Ctrl-C cancels this control while a job runs (see [`on_ctrl_c`]).
struct Current;

impl Current {
    fn set(control: std::sync::Arc<parmine::Control>) -> Current {
        *CURRENT.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(control);
        Current
    }
}

impl Drop for Current {
    fn drop(&mut self) {
        *CURRENT.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = None;
    }
}

/// Install the Ctrl-C handler (once): it cancels the control of the job in
/// flight, which then stops at its next batch and keeps what it measured;
/// with no job in flight it ends the process with 130, as SIGINT would. It
/// is installed even where SIGINT was ignored (a command started in the
/// background by a script), so Ctrl-C always stops the work.
fn on_ctrl_c() {
    static HANDLER: std::sync::Once = std::sync::Once::new();
    HANDLER.call_once(|| {
        // Without a handler Ctrl-C still ends the process, only not cleanly.
        let _ = ctrlc::set_handler(|| match CURRENT.lock().ok().and_then(|c| c.clone()) {
            Some(control) => control.cancel(),
            None => std::process::exit(130),
        });
    });
}

/// The warning line for a job expected to take `expected` attempts at
/// `rate` a second, if that is more than a minute.
pub fn long_wait_warning(expected: f64, rate: f64) -> Option<String> {
    let eta = expected / rate;
    (eta > WARN_ABOVE_S).then(|| {
        let duration = format_duration(eta);
        let how_long = if eta > UNIVERSE_AGE_S { duration } else { format!("about {duration}") };
        format!(
            "warning: about {} attempts are expected; at {}/s that is {how_long} (Ctrl-C stops)",
            format_count(expected),
            format_count(rate),
        )
    })
}

/// Run `job` on its own thread while this one watches `control`: `tick`
/// gets the attempts so far and their rate every 50 ms (for a progress
/// line), and with `expected` attempts given, a job whose expected time at
/// the measured rate is over a minute gets one warning line on stderr after
/// a couple of seconds, so a mistake is not a silent wait of days. Ctrl-C
/// cancels the control (see [`on_ctrl_c`]).
pub fn watch<R: Send>(
    control: &std::sync::Arc<parmine::Control>,
    progress: &ProgressBar,
    expected: Option<f64>,
    mut tick: impl FnMut(u64, f64),
    job: impl FnOnce() -> R + Send,
) -> R {
    on_ctrl_c();
    let _current = Current::set(control.clone());
    std::thread::scope(|scope| {
        let worker = scope.spawn(job);
        let started = web_time::Instant::now();
        let mut judged = expected.is_none();
        while !worker.is_finished() {
            let attempts = control.attempts();
            let seconds = started.elapsed().as_secs_f64();
            let rate = attempts as f64 / seconds.max(1e-9);
            tick(attempts, rate);
            if !judged && seconds >= ESTIMATE_AFTER_S && rate > 0.0 {
                judged = true;
                if let Some(warning) = long_wait_warning(expected.unwrap_or(0.0), rate) {
                    progress.suspend(|| eprintln!("{warning}"));
                }
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        // A panic on the job's thread has printed its line (see
        // `one_line_panics`); this thread ends the same way.
        worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// A [`watch`] tick for a sweep of points: the point in flight (named in
/// `point` by the sweep as each starts), its attempts and their rate.
pub fn point_progress<'a>(
    progress: &'a ProgressBar,
    point: &'a std::sync::Mutex<String>,
) -> impl FnMut(u64, f64) + 'a {
    move |attempts, rate| {
        let point = point.lock().map(|p| p.clone()).unwrap_or_default();
        progress.set_message(format!(
            "{point}: {} attempts, {}/s",
            format_count(attempts as f64),
            format_count(rate)
        ));
    }
}

/// Measure a sweep of `points` points (`bench solve`, `bench cost`) with a
/// bar (hidden for JSON) naming the point in flight beside its live attempts
/// and rate, warning of a long wait and stopping on Ctrl-C (see [`watch`]).
/// `job` gets the control and `starting`, which it calls with each point's
/// name as the point starts; it returns the rows measured and, when it
/// stopped early, why.
pub fn sweep_points<T: Send>(
    points: usize,
    hidden: bool,
    expected: Option<f64>,
    job: impl FnOnce(
        &std::sync::Arc<parmine::Control>,
        &(dyn Fn(String) + Sync),
    ) -> (Vec<T>, Option<parmine::Error>)
    + Send,
) -> (Vec<T>, Option<parmine::Error>) {
    let control = std::sync::Arc::new(parmine::Control::new());
    let progress = bar(points as u64, hidden);
    let point = std::sync::Mutex::new(String::new());
    let tick = point_progress(&progress, &point);
    let starting = |name: String| {
        if let Ok(mut p) = point.lock() {
            if !p.is_empty() {
                progress.inc(1);
            }
            *p = name;
        }
    };
    let result = watch(&control, &progress, expected, tick, || job(&control, &starting));
    progress.finish_and_clear();
    result
}

/// The end of a sweep: `Ok` when it measured every point, otherwise a note
/// that the `measured` rows printed (`what`: "row(s)", "point(s)") are
/// those before it stopped, and the error.
pub fn stopped_early(stopped: Option<parmine::Error>, measured: usize, what: &str) -> parmine::Result<()> {
    match stopped {
        Some(err) => {
            eprintln!("stopped early: the {measured} {what} above are those measured before it");
            Err(err)
        }
        None => Ok(()),
    }
}

/// Run `job` with a fresh control, showing live attempts and rate on a
/// spinner (hidden for JSON) and warning of a long wait (see [`watch`]).
/// Ctrl-C cancels the control: the job stops at its next batch and returns
/// [`parmine::Error::Cancelled`] with what it tried (the command then exits
/// 130).
pub fn run_with_progress<R: Send>(
    hidden: bool,
    expected: Option<f64>,
    job: impl FnOnce(std::sync::Arc<parmine::Control>) -> parmine::Result<R> + Send,
) -> parmine::Result<R> {
    let control = std::sync::Arc::new(parmine::Control::new());
    let progress = spinner(hidden);
    let tick = |attempts: u64, rate: f64| {
        progress.set_message(format!("{} attempts, {}/s", format_count(attempts as f64), format_count(rate)));
    };
    let result = watch(&control, &progress, expected, tick, || job(control.clone()));
    progress.finish_and_clear();
    result
}
