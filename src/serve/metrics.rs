//! `GET /metrics`: requests by route and status, the render latency histogram and findings by
//! rule, in Prometheus' text exposition format (version 0.0.4).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Upper bounds of the render latency buckets, in seconds.
const BUCKETS: [f64; 12] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0];

/// The counters. A few mutexes over small ordered maps: a lock costs nanoseconds next to a
/// render, and the output comes out sorted without a sort.
#[derive(Default)]
pub(crate) struct Metrics {
    requests: Mutex<BTreeMap<(&'static str, &'static str, u16), u64>>,
    findings: Mutex<BTreeMap<(String, &'static str), u64>>,
    latency: [AtomicU64; BUCKETS.len()],
    latency_count: AtomicU64,
    /// Sum of render times in microseconds.
    latency_sum_us: AtomicU64,
}

impl Metrics {
    /// Counts one answered request.
    pub fn request(&self, route: &'static str, method: &'static str, status: u16) {
        if let Ok(mut map) = self.requests.lock() {
            *map.entry((route, method, status)).or_default() += 1;
        }
    }

    /// Records how long one render (record to answer bytes) took.
    pub fn render(&self, took: Duration) {
        let seconds = took.as_secs_f64();
        if let Some(i) = BUCKETS.iter().position(|b| seconds <= *b) {
            self.latency[i].fetch_add(1, Ordering::Relaxed);
        }
        self.latency_count.fetch_add(1, Ordering::Relaxed);
        self.latency_sum_us.fetch_add(u64::try_from(took.as_micros()).unwrap_or(u64::MAX), Ordering::Relaxed);
    }

    /// Counts a letter's findings by rule and severity.
    pub fn findings(&self, findings: &[crate::Diagnostic]) {
        if findings.is_empty() {
            return;
        }
        if let Ok(mut map) = self.findings.lock() {
            for d in findings {
                let severity = match d.severity {
                    crate::Severity::Error => "error",
                    crate::Severity::Warning => "warning",
                    crate::Severity::Info => "info",
                };
                *map.entry((d.code.clone(), severity)).or_default() += 1;
            }
        }
    }

    /// The exposition text.
    pub fn text(&self) -> String {
        let mut out = String::with_capacity(2048);
        out.push_str("# HELP missive_http_requests_total HTTP requests answered, by route, method and status.\n");
        out.push_str("# TYPE missive_http_requests_total counter\n");
        if let Ok(map) = self.requests.lock() {
            for ((route, method, status), n) in map.iter() {
                let _ = writeln!(
                    out,
                    "missive_http_requests_total{{route=\"{route}\",method=\"{method}\",status=\"{status}\"}} {n}"
                );
            }
        }
        out.push_str("# HELP missive_render_seconds Time to render a letter into its answer (record to bytes).\n");
        out.push_str("# TYPE missive_render_seconds histogram\n");
        let mut cumulative = 0;
        for (bound, count) in BUCKETS.iter().zip(&self.latency) {
            cumulative += count.load(Ordering::Relaxed);
            let _ = writeln!(out, "missive_render_seconds_bucket{{le=\"{bound}\"}} {cumulative}");
        }
        let count = self.latency_count.load(Ordering::Relaxed);
        let _ = writeln!(out, "missive_render_seconds_bucket{{le=\"+Inf\"}} {count}");
        let sum = self.latency_sum_us.load(Ordering::Relaxed) as f64 / 1e6;
        let _ = writeln!(out, "missive_render_seconds_sum {sum}");
        let _ = writeln!(out, "missive_render_seconds_count {count}");
        out.push_str("# HELP missive_findings_total Rule findings in rendered letters, by rule and severity.\n");
        out.push_str("# TYPE missive_findings_total counter\n");
        if let Ok(map) = self.findings.lock() {
            for ((rule, severity), n) in map.iter() {
                let _ =
                    writeln!(out, "missive_findings_total{{rule=\"{}\",severity=\"{severity}\"}} {n}", escape(rule));
            }
        }
        out
    }
}

/// A label value with `\`, `"` and newlines escaped.
fn escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exposition_counts_and_accumulates_buckets() {
        let m = Metrics::default();
        m.request("/v1/templates", "GET", 200);
        m.request("/v1/templates", "GET", 200);
        m.render(Duration::from_micros(700));
        m.render(Duration::from_millis(20));
        m.findings(&[crate::Diagnostic::error("courtesy.no-demands", "x")]);
        let text = m.text();
        assert!(
            text.contains("missive_http_requests_total{route=\"/v1/templates\",method=\"GET\",status=\"200\"} 2\n")
        );
        assert!(text.contains("missive_render_seconds_bucket{le=\"0.001\"} 1\n"));
        assert!(text.contains("missive_render_seconds_bucket{le=\"0.025\"} 2\n"));
        assert!(text.contains("missive_render_seconds_bucket{le=\"+Inf\"} 2\n"));
        assert!(text.contains("missive_findings_total{rule=\"courtesy.no-demands\",severity=\"error\"} 1\n"));
    }
}
