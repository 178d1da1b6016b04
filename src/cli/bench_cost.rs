//! `parmine bench cost`: what each challenge kind costs a visitor at its
//! system's default difficulty, with this machine's measured rates.

use super::stdout::outln;

use parmine::Result;
use parmine::jobs::cost::Kind;
use parmine::jobs::{CostJob, CostRow};

use super::output::{format_count, format_duration, stopped_early, sweep_points};

/// Options of `parmine bench cost`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Thread counts, comma separated [default: 1 and all].
    #[arg(long, value_delimiter = ',')]
    threads: Vec<usize>,
    /// How much to measure, as a multiple of each kind's candidates a
    /// thread (above 0, at most 10; 1 is about a second a thread count
    /// natively).
    #[arg(long, default_value_t = 1.0)]
    work: f64,
    /// Print a JSON array of rows (one a kind and thread count; the page
    /// imports it) instead of the table.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> Result<()> {
    let job = CostJob { threads: args.threads, work: args.work };
    job.validate()?;
    let counts = job.thread_counts();
    let (rows, stopped) =
        sweep_points(counts.len() * Kind::ALL.len(), args.json, None, |control, starting| {
            job.run(control, |kind, threads| starting(format!("{} x {threads}", kind.name())))
        });
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&rows).expect("rows serialize"));
    } else {
        print_table(&counts, &rows);
    }
    stopped_early(stopped, rows.len(), "row(s)")
}

/// A solve's expected time, readable at any size.
fn time(ms: f64) -> String {
    match ms {
        ms if ms < 10.0 => format!("{ms:.2} ms"),
        ms if ms < 1e3 => format!("{ms:.0} ms"),
        ms if ms < 10e3 => format!("{:.1} s", ms / 1e3),
        ms => format_duration(ms / 1e3),
    }
}

/// One line a kind: its default, expected attempts, and the rate and
/// expected time at each thread count measured. The job measures every kind
/// at one count before the next, so the rows come in chunks of a count
/// (a memory-hard row may say fewer threads: those that fit).
fn print_table(counts: &[usize], rows: &[CostRow]) {
    outln!("parmine bench cost: each kind at its system's default difficulty; rates measured here");
    let mut header = format!("{:<34} {:<40} {:>9}", "kind", "default difficulty", "expected");
    for t in counts {
        header.push_str(&format!(" {:>11} {:>10}", format!("rate x{t}"), format!("time x{t}")));
    }
    outln!("{header}");
    let chunks: Vec<&[CostRow]> = rows.chunks(Kind::ALL.len()).collect();
    for kind in Kind::ALL {
        let Some(first) = rows.iter().find(|r| r.kind == kind.name()) else { continue };
        let mut line = format!(
            "{:<34} {:<40} {:>9}",
            first.label,
            first.difficulty,
            format_count(first.expected_attempts)
        );
        for chunk in &chunks {
            match chunk.iter().find(|r| r.kind == kind.name()) {
                Some(r) => line.push_str(&format!(
                    " {:>11} {:>10}",
                    format!("{}/s", format_count(r.attempts_per_sec)),
                    time(r.expected_ms)
                )),
                None => line.push_str(&format!(" {:>11} {:>10}", "-", "-")),
            }
        }
        outln!("{line}");
    }
    outln!(
        "expected: candidates a solve needs on average (hashes, or key derivations for ALTCHA v2); \
         time: expected / rate, on that many threads"
    );
}
