//! From the per-function summaries to the file's [`FileSummary`]: flows from tool
//! parameters (of the inventory's handlers) and from remote data, tainted calls into
//! other modules, [`FunctionSummary`]s of exported functions, and handler effects.

use std::collections::{HashMap, HashSet};

use assay_core::FlowStep;

use super::engine::{Analyzer, ExtCall, Hit, MAX_CALL_DEPTH, Summary};
use super::handlers::{self, Handler};
use super::value::Origin;
use crate::PathContext;
use crate::taint::{
    CallTarget, Effect, FileSummary, FunctionSummary, HandlerEffects, ParamFlow, ParamForward,
    SinkKind, SourceKind, TaintFlow, TaintedCall,
};

/// Builds the file summary.
pub(super) fn file_summary(
    an: &Analyzer<'_, '_>,
    handlers: &[Handler],
    module: &Summary,
) -> FileSummary {
    let index = an.index;
    let context = PathContext::of(index.path);
    let mut out = FileSummary::default();
    let mut by_function: HashMap<usize, Vec<&Handler>> = HashMap::new();
    for handler in handlers {
        by_function
            .entry(handler.function)
            .or_default()
            .push(handler);
    }
    for (f, function) in index.functions.iter().enumerate() {
        let Some(summary) = an.summary(f, 0) else {
            continue;
        };
        let own: &[&Handler] = by_function.get(&f).map_or(&[], Vec::as_slice);
        let source = |param: usize, field: &Option<String>, steps: &[FlowStep]| {
            if own.is_empty() || !handlers::is_source(index, own, f, param) {
                return None;
            }
            let tool = handlers::tool_for(own, steps);
            let name = field
                .clone()
                .unwrap_or_else(|| function.params[param].name.to_string());
            Some((tool, name))
        };
        for hit in &summary.hits {
            match &hit.trace.origin {
                Origin::Remote { what } => {
                    if hit.sink != SinkKind::OutboundData {
                        let tool = handlers::tool_for(own, &hit.trace.steps);
                        let source = SourceKind::RemoteData { what: what.clone() };
                        out.flows
                            .push(flow(hit, source, tool, hit.trace.steps.clone(), context));
                    }
                }
                Origin::Param {
                    index: param,
                    field,
                } => {
                    if let Some((tool, name)) = source(*param, field, &hit.trace.steps) {
                        let steps = tool_steps(&hit.trace.steps, &name, tool.as_deref());
                        let source = SourceKind::ToolParameter {
                            tool: tool.clone(),
                            param: name,
                        };
                        out.flows.push(flow(hit, source, tool, steps, context));
                    }
                }
            }
        }
        for call in &summary.calls {
            match &call.trace.origin {
                Origin::Remote { what } => {
                    let tool = handlers::tool_for(own, &call.trace.steps);
                    let source = SourceKind::RemoteData { what: what.clone() };
                    out.calls
                        .push(tainted_call(call, source, tool, call.trace.steps.clone()));
                }
                Origin::Param {
                    index: param,
                    field,
                } => {
                    if let Some((tool, name)) = source(*param, field, &call.trace.steps) {
                        let steps = tool_steps(&call.trace.steps, &name, tool.as_deref());
                        let source = SourceKind::ToolParameter {
                            tool: tool.clone(),
                            param: name,
                        };
                        out.calls.push(tainted_call(call, source, tool, steps));
                    }
                }
            }
        }
        if function.exported
            && let Some(exported) =
                function_summary(&index.module, &function.qualified_name(), &summary)
        {
            out.functions.push(exported);
        }
    }
    for hit in module
        .hits
        .iter()
        .filter(|h| h.sink != SinkKind::OutboundData)
    {
        if let Origin::Remote { what } = &hit.trace.origin {
            let source = SourceKind::RemoteData { what: what.clone() };
            out.flows
                .push(flow(hit, source, None, hit.trace.steps.clone(), context));
        }
    }
    for call in &module.calls {
        if let Origin::Remote { what } = &call.trace.origin {
            let source = SourceKind::RemoteData { what: what.clone() };
            out.calls
                .push(tainted_call(call, source, None, call.trace.steps.clone()));
        }
    }
    out.handlers = handlers.iter().map(|h| handler_effects(an, h)).collect();
    out
}

fn flow(
    hit: &Hit,
    source: SourceKind,
    tool: Option<String>,
    steps: Vec<FlowStep>,
    context: PathContext,
) -> TaintFlow {
    TaintFlow {
        sink: hit.sink,
        source,
        steps,
        sink_callee: hit.callee.clone(),
        sink_snippet: hit.snippet.clone(),
        tool,
        confidence: hit.confidence,
        context,
    }
}

fn tainted_call(
    call: &ExtCall,
    source: SourceKind,
    tool: Option<String>,
    steps: Vec<FlowStep>,
) -> TaintedCall {
    let field = match &call.trace.origin {
        Origin::Param { field, .. } => field.clone(),
        Origin::Remote { .. } => None,
    };
    TaintedCall {
        call: CallTarget {
            field,
            ..call.target.clone()
        },
        source,
        steps,
        tool,
        confidence: call.trace.confidence,
        cleared: call.trace.cleared,
    }
}

/// The steps of a handler's flow, its first step named as the tool parameter it is.
fn tool_steps(steps: &[FlowStep], param: &str, tool: Option<&str>) -> Vec<FlowStep> {
    let mut steps = steps.to_vec();
    if let Some(first) = steps.first_mut() {
        first.message = match tool {
            Some(tool) => format!("tool parameter `{param}` of `{tool}`"),
            None => format!("tool parameter `{param}`"),
        };
    }
    steps
}

/// What an exported function does with its parameters, when it does anything.
fn function_summary(module: &str, name: &str, summary: &Summary) -> Option<FunctionSummary> {
    let flows: Vec<ParamFlow> = summary
        .hits
        .iter()
        .filter_map(|hit| match &hit.trace.origin {
            Origin::Param { index, field } => Some(ParamFlow {
                param_index: *index,
                field: field.clone(),
                sink: hit.sink,
                steps: hit.trace.steps.clone(),
                sink_callee: hit.callee.clone(),
                sink_snippet: hit.snippet.clone(),
                confidence: hit.confidence,
            }),
            Origin::Remote { .. } => None,
        })
        .collect();
    let forwards: Vec<ParamForward> = summary
        .calls
        .iter()
        .filter_map(|call| match &call.trace.origin {
            Origin::Param { index, field } => Some(ParamForward {
                param_index: *index,
                field: field.clone(),
                call: call.target.clone(),
                steps: call.trace.steps.clone(),
                cleared: call.trace.cleared,
            }),
            Origin::Remote { .. } => None,
        })
        .collect();
    (!flows.is_empty() || !forwards.is_empty()).then(|| FunctionSummary {
        module: module.to_string(),
        name: name.to_string(),
        flows,
        forwards,
    })
}

/// The effects of a handler: calls in its span, and in the same-file functions those
/// call (bounded depth).
fn handler_effects(an: &Analyzer<'_, '_>, handler: &Handler) -> HandlerEffects {
    let mut effects: Vec<Effect> = Vec::new();
    let mut seen = HashSet::new();
    let mut queue = vec![(handler.function, 0, true)];
    while let Some((function, depth, root)) = queue.pop() {
        if !seen.insert(function) {
            continue;
        }
        let Some(summary) = an.summary(function, 0) else {
            continue;
        };
        // A dispatcher branch: only the calls inside it belong to the handler.
        let outside =
            |location| root && !handler.direct && !handlers::contains(&handler.span, location);
        effects.extend(
            summary
                .effects
                .iter()
                .filter(|e| !outside(&e.location))
                .cloned(),
        );
        if depth < MAX_CALL_DEPTH {
            for call in summary.local_calls.iter().filter(|c| !outside(&c.location)) {
                queue.push((call.function, depth + 1, false));
            }
        }
    }
    effects.sort_by(|a, b| (&a.location, a.kind).cmp(&(&b.location, b.kind)));
    effects.dedup();
    HandlerEffects {
        tool: handler.name.clone(),
        handler: handler.span.clone(),
        effects,
    }
}
