//! The shared machinery of the taint rules: select the flows a rule claims, collapse
//! flows that share a root cause (the same sink call) into one finding, and describe the
//! path so a maintainer can act on it.

use std::collections::{BTreeMap, HashSet};

/// Declares a taint rule: a unit struct whose package check reports the flows the
/// module's `SELECTOR` claims, with the module's `META`.
macro_rules! taint_rule {
    ($name:ident, $doc:literal) => {
        #[doc = $doc]
        pub(crate) struct $name;

        impl crate::registry::Rule for $name {
            fn meta(&self) -> &'static assay_core::RuleMeta {
                &META
            }

            fn check_package(
                &self,
                package: &crate::package::PackageFacts<'_>,
                out: &mut Vec<assay_core::Finding>,
            ) {
                super::flow_rule::report_flows(&META, &SELECTOR, package, out);
            }
        }
    };
}
pub(crate) use taint_rule;

use assay_core::{Confidence, Evidence, Finding, Location, RuleMeta, Severity};

use crate::package::PackageFacts;
use crate::registry::new_finding;
use crate::taint::{SinkKind, SourceKind, TaintFlow};

/// Which flows a taint rule reports.
pub(crate) struct FlowSelector {
    /// The sink kinds the rule claims.
    pub sinks: &'static [SinkKind],
    /// Whether it claims flows from tool parameters.
    pub tool_sources: bool,
    /// Whether it claims flows from untrusted remote data.
    pub remote_sources: bool,
    /// What reaching the sink means, for the message (e.g. "a shell command").
    pub reaches: &'static str,
    /// Sink kinds of more specific rules: a flow whose source also reaches one of these
    /// kinds in the same file is left to that rule (one problem, one finding).
    pub yields_to: &'static [SinkKind],
}

impl FlowSelector {
    fn accepts(&self, flow: &TaintFlow) -> bool {
        self.sinks.contains(&flow.sink)
            && match flow.source {
                SourceKind::ToolParameter { .. } => self.tool_sources,
                SourceKind::RemoteData { .. } => self.remote_sources,
            }
    }
}

/// Describes a flow's source for messages: `tool parameter \`cmd\`` or the remote data.
pub(crate) fn describe_source(source: &SourceKind) -> String {
    match source {
        SourceKind::ToolParameter { param, .. } => format!("parameter `{param}`"),
        SourceKind::RemoteData { what } => format!("untrusted remote data ({what})"),
    }
}

/// Reports the flows `selector` claims: one finding per sink call, the first path (in the
/// deterministic order [`crate::taint::link`] produces) as the finding's data flow, the
/// other sources that reach the same sink as evidence. Tests and examples lower
/// confidence.
pub(crate) fn report_flows(
    meta: &'static RuleMeta,
    selector: &FlowSelector,
    facts: &PackageFacts<'_>,
    out: &mut Vec<Finding>,
) {
    let mut by_sink: BTreeMap<Location, Vec<&TaintFlow>> = BTreeMap::new();
    for flow in facts.flows.iter().filter(|f| selector.accepts(f)) {
        if let Some(sink) = flow.steps.last() {
            by_sink.entry(sink.location.clone()).or_default().push(flow);
        }
    }
    // A flow that a more specific rule also explains (same source, sink in the same file)
    // is left to that rule.
    let specific: HashSet<(&Location, &str)> = facts
        .flows
        .iter()
        .filter(|f| selector.yields_to.contains(&f.sink))
        .filter_map(|f| {
            Some((
                &f.steps.first()?.location,
                f.steps.last()?.location.path.as_str(),
            ))
        })
        .collect();
    for flows in by_sink.values_mut() {
        flows.retain(|f| {
            let key = f
                .steps
                .first()
                .zip(f.steps.last())
                .map(|(source, sink)| (&source.location, sink.location.path.as_str()));
            !key.is_some_and(|k| specific.contains(&k))
        });
        // Prefer paths that name their tool: the same sink is often reached both from a
        // handler registered elsewhere (with the tool's name) and from the bare function.
        flows.sort_by_key(|f| f.tool.is_none());
    }
    by_sink.retain(|_, flows| !flows.is_empty());

    // One root cause, one finding: the sinks one source of one tool reaches (often every
    // file operation behind a shared, flawed validation helper) collapse into a finding at
    // the first sink, with the others listed.
    let mut by_cause: BTreeMap<(Option<String>, String), Vec<SinkFlows<'_>>> = BTreeMap::new();
    for (sink, flows) in by_sink {
        let key = (flows[0].tool.clone(), describe_source(&flows[0].source));
        by_cause.entry(key).or_default().push((sink, flows));
    }
    for sinks in by_cause.into_values() {
        out.push(finding_for(meta, selector, &sinks));
    }
}

/// A sink call and the flows that reach it (the preferred flow first).
type SinkFlows<'a> = (Location, Vec<&'a TaintFlow>);

/// How many further sink locations a collapsed finding lists.
const MAX_LISTED_SINKS: usize = 10;

/// The finding for one root cause: `sinks` are the sink calls one source reaches, in
/// location order, each with the flows that reach it (preferred flow first).
fn finding_for(
    meta: &'static RuleMeta,
    selector: &FlowSelector,
    sinks: &[SinkFlows<'_>],
) -> Finding {
    let (sink, flows) = &sinks[0];
    let first = flows[0];
    let source = describe_source(&first.source);
    let whose = first
        .tool
        .as_deref()
        .map_or_else(String::new, |tool| format!(" of tool `{tool}`"));
    let hops = first.steps.len().saturating_sub(1);
    let more = match sinks.len() - 1 {
        0 => String::new(),
        1 => " (and 1 more place)".to_string(),
        n => format!(" (and {n} more places)"),
    };
    let message = format!(
        "{source}{whose} reaches {} (`{}`) at {}:{} in {hops} step{}{}{more}",
        selector.reaches,
        first.sink_callee,
        sink.path,
        sink.line,
        if hops == 1 { "" } else { "s" },
        if first.steps.first().map(|s| &s.location.path) != Some(&sink.path) {
            ", across files"
        } else {
            ""
        },
    );
    let mut finding = new_finding(meta, sink.clone(), first.sink_snippet.clone(), message);
    finding.tool = first.tool.clone();
    let all = || sinks.iter().flat_map(|(_, flows)| flows.iter());
    finding.confidence = all()
        .map(|f| f.confidence)
        .max()
        .unwrap_or(first.confidence);
    // A flow the engine only half-believes (e.g. containment checked, symlinks not
    // resolved) is a weak signal: say so in the severity, not only the confidence.
    if finding.confidence == Confidence::Low {
        finding.severity = finding.severity.min(Severity::Low);
    }
    if first.context.is_non_production() {
        finding.confidence = finding.confidence.lowered();
    }
    finding.flow = first.steps.clone();
    finding
        .evidence
        .push(Evidence::new("source", source.clone()));
    finding
        .evidence
        .push(Evidence::new("sink", first.sink_callee.clone()));
    if sinks.len() > 1 {
        let listed: Vec<String> = sinks[1..]
            .iter()
            .take(MAX_LISTED_SINKS)
            .map(|(loc, flows)| format!("`{}` at {}:{}", flows[0].sink_callee, loc.path, loc.line))
            .collect();
        let extra = sinks.len() - 1 - listed.len();
        let mut value = listed.join("; ");
        if extra > 0 {
            value.push_str(&format!("; and {extra} more"));
        }
        finding.evidence.push(Evidence::new("also reaches", value));
    }
    let mut others: Vec<String> = all()
        .filter(|f| f.tool != first.tool || describe_source(&f.source) != source)
        .map(|f| {
            let tool = f
                .tool
                .as_deref()
                .map_or(String::new(), |t| format!(" (tool `{t}`)"));
            format!("{}{tool}", describe_source(&f.source))
        })
        .collect();
    others.sort();
    others.dedup();
    if !others.is_empty() {
        finding.evidence.push(Evidence::new(
            "other sources reaching this sink",
            others.join("; "),
        ));
    }
    finding
}
