//! Turning tainted data at sinks and calls into output: complete flows, function
//! summaries (parameter flows and forwards), tainted calls to other modules, and the
//! composition of same-file function summaries at their call sites.

use std::rc::Rc;

use assay_core::{Confidence, FlowStep};
use tree_sitter::Node;

use super::expr::fixed_host_clears;
use super::value::{Origin, Source, Value, is_text_parameter};
use super::walk::{Analyzer, Summary};
use crate::taint::{
    CallTarget, ParamFlow, ParamForward, SinkKind, SinkKinds, SourceKind, TaintFlow, TaintedCall,
};

/// A sink reached: what and where.
struct Sink<'s> {
    kind: SinkKind,
    callee: &'s str,
    snippet: &'s str,
}

impl<'t> Analyzer<'t> {
    /// Reports every origin of `value` reaching a sink of `kind` at `call`.
    pub(super) fn report_value(
        &mut self,
        value: &Value,
        kind: SinkKind,
        call: Node<'t>,
        callee: Node<'t>,
        cap: Option<Confidence>,
    ) {
        if !value.is_tainted() {
            return;
        }
        let callee_text = self.short(callee);
        let snippet = self.locator.snippet(call);
        let sink_step = self.step(call, format!("reaches `{callee_text}(…)`"));
        for origin in &value.origins {
            let mut steps = (*origin.steps).clone();
            let mut step = sink_step.clone();
            let mut confidence = origin.confidence.min(cap.unwrap_or(Confidence::High));
            if origin.guard.cleared.contains(kind) {
                continue;
            }
            if let Some(weak) = origin.guard.weak.iter().find(|w| w.kind == kind) {
                confidence = confidence.min(weak.confidence);
                step.message = format!("{} ({})", step.message, weak.note);
            }
            steps.push(step);
            let sink = Sink {
                kind,
                callee: &callee_text,
                snippet: &snippet,
            };
            self.emit(origin, steps, &sink, confidence);
        }
    }

    /// Records one source-to-sink path by the kind of its source.
    fn emit(
        &mut self,
        origin: &Origin,
        steps: Vec<FlowStep>,
        sink: &Sink<'_>,
        confidence: Confidence,
    ) {
        match &origin.source {
            Source::Param {
                function,
                index,
                field,
                ..
            } => {
                let flow = ParamFlow {
                    param_index: *index,
                    field: field.as_deref().map(String::from),
                    sink: sink.kind,
                    steps,
                    sink_callee: sink.callee.to_string(),
                    sink_snippet: sink.snippet.to_string(),
                    confidence,
                };
                if let Some(summary) = self.summaries.get_mut(function)
                    && !summary.flows.contains(&flow)
                {
                    summary.flows.push(flow);
                }
            }
            _ => {
                let Some((source, tool)) = public_source(&origin.source) else {
                    return;
                };
                self.found.flows.push(TaintFlow {
                    sink: sink.kind,
                    source,
                    steps,
                    sink_callee: sink.callee.to_string(),
                    sink_snippet: sink.snippet.to_string(),
                    tool,
                    confidence,
                    context: crate::PathContext::of(self.path),
                });
            }
        }
    }

    /// A call to a same-file function: its summary's flows continue the caller's taint,
    /// its forwards become the caller's, and its return value is computed from the
    /// arguments.
    pub(super) fn call_same_file(
        &mut self,
        function: Node<'t>,
        call: Node<'t>,
        values: &[Value],
    ) -> Value {
        if !values.iter().any(Value::is_tainted)
            && self.summaries.get(&function.id()).is_some_and(|s| s.done)
        {
            let name = self
                .summaries
                .get(&function.id())
                .map(|s| s.name.clone())
                .unwrap_or_default();
            let through = self.step(call, format!("returned from `{name}(…)`"));
            return self.fixed_returns(function.id(), &through);
        }
        let Some(summary) = self.summary_of(function) else {
            return medium_union(values);
        };
        let name = summary.name.clone();
        let pass = self.step(call, format!("passed to `{name}(…)`"));
        let through = self.step(call, format!("returned from `{name}(…)`"));
        let mut out = Value::default();
        for (index, value) in values.iter().enumerate() {
            for origin in &value.origins {
                self.compose(&summary, index, origin, &pass);
                for ret in &summary.returns {
                    if let Source::Param {
                        function: f,
                        index: i,
                        field,
                        ..
                    } = &ret.source
                        && *f == function.id()
                        && *i == index
                        && let Some(mut merged) = refined(origin, field.as_deref())
                    {
                        merged.guard.cleared = merged.guard.cleared.union(ret.guard.cleared);
                        merged.guard.resolved |= ret.guard.resolved;
                        merged.guard.realpath |= ret.guard.realpath;
                        for weak in &ret.guard.weak {
                            merged.guard.weaken(weak.kind, weak.confidence, &weak.note);
                        }
                        merged.confidence = merged.confidence.min(ret.confidence);
                        merged.at_field = ret.at_field.clone();
                        merged.push_step(through.clone());
                        out.add_origin(merged);
                    }
                }
            }
        }
        out.absorb(&self.fixed_returns(function.id(), &through));
        out
    }

    /// The return origins of a summary that do not come from its parameters (data the
    /// function fetched), continued by hop `through`.
    fn fixed_returns(&self, id: usize, through: &FlowStep) -> Value {
        let mut out = Value::default();
        if let Some(summary) = self.summaries.get(&id) {
            for ret in &summary.returns {
                if !matches!(&ret.source, Source::Param { function: f, .. } if *f == id) {
                    let mut ret = ret.clone();
                    ret.push_step(through.clone());
                    out.add_origin(ret);
                }
            }
        }
        out
    }

    /// Continues `origin`, passed as argument `index`, through the callee's summary.
    fn compose(&mut self, summary: &Summary, index: usize, origin: &Origin, pass: &FlowStep) {
        for flow in summary.flows.iter().filter(|f| f.param_index == index) {
            let Some(origin) = refined(origin, flow.field.as_deref()) else {
                continue;
            };
            if origin.guard.cleared.contains(flow.sink) {
                continue;
            }
            let mut confidence = origin.confidence.min(flow.confidence);
            let mut steps = (*origin.steps).clone();
            steps.push(pass.clone());
            steps.extend(flow.steps.iter().cloned());
            if let Some(weak) = origin.guard.weak.iter().find(|w| w.kind == flow.sink) {
                confidence = confidence.min(weak.confidence);
                if let Some(last) = steps.last_mut() {
                    last.message = format!("{} ({})", last.message, weak.note);
                }
            }
            let sink = Sink {
                kind: flow.sink,
                callee: &flow.sink_callee,
                snippet: &flow.sink_snippet,
            };
            self.emit(&origin, steps, &sink, confidence);
        }
        for forward in summary.forwards.iter().filter(|f| f.param_index == index) {
            let Some(mut origin) = refined(origin, forward.field.as_deref()) else {
                continue;
            };
            origin.guard.cleared = origin.guard.cleared.union(forward.cleared);
            let mut steps = (*origin.steps).clone();
            steps.push(pass.clone());
            steps.extend(forward.steps.iter().cloned());
            self.forward(&origin, forward.call.clone(), steps);
        }
    }

    /// A call to a function of another module with tainted arguments.
    pub(super) fn call_other_module(
        &mut self,
        modules: &[String],
        name: &str,
        call: Node<'t>,
        values: &[Value],
    ) {
        let pass = self.step(call, format!("passed to `{name}(…)`"));
        for (index, value) in values.iter().enumerate() {
            // `https://api.example.com/repos/${x}`: whatever the callee does with it, the
            // host is not the caller's to choose.
            let fixed_host = fixed_host_clears(&value.text.prefix);
            for origin in &value.origins {
                let mut origin = origin.clone();
                origin.guard.cleared = origin.guard.cleared.union(fixed_host);
                let origin = &origin;
                let mut steps = (*origin.steps).clone();
                steps.push(pass.clone());
                for module in modules {
                    let target = CallTarget {
                        module: Some(module.clone()),
                        name: name.to_string(),
                        arg_index: index,
                        field: origin.at_field.as_deref().map(String::from),
                    };
                    self.forward(origin, target, steps.clone());
                }
            }
        }
    }

    /// Records a tainted call (or, for a parameter, a forward of the function's summary).
    /// Data no sink can be harmed by (allowlisted, compared to constants) is not followed.
    fn forward(&mut self, origin: &Origin, call: CallTarget, steps: Vec<FlowStep>) {
        if origin.guard.cleared == SinkKinds::ALL {
            return;
        }
        match &origin.source {
            Source::Param {
                function,
                index,
                field,
                ..
            } => {
                let forward = ParamForward {
                    param_index: *index,
                    field: field.as_deref().map(String::from),
                    call,
                    steps,
                    cleared: origin.guard.cleared,
                };
                if let Some(summary) = self.summaries.get_mut(function)
                    && !summary.forwards.contains(&forward)
                {
                    summary.forwards.push(forward);
                }
            }
            _ => {
                let Some((source, tool)) = public_source(&origin.source) else {
                    return;
                };
                self.found.calls.push(TaintedCall {
                    call,
                    source,
                    steps,
                    tool,
                    confidence: origin.confidence,
                    cleared: origin.guard.cleared,
                });
            }
        }
    }
}

/// The public source kind and tool of an origin (`None` for request objects, which are
/// not data themselves).
fn public_source(source: &Source) -> Option<(SourceKind, Option<String>)> {
    match source {
        Source::Tool { tool, param, .. } => {
            let tool = tool.as_deref().map(String::from);
            Some((
                SourceKind::ToolParameter {
                    tool: tool.clone(),
                    param: param.to_string(),
                },
                tool,
            ))
        }
        Source::Remote { what, .. } => Some((
            SourceKind::RemoteData {
                what: what.to_string(),
            },
            None,
        )),
        Source::Request { .. } | Source::Param { .. } => None,
    }
}

/// `origin` as seen by a callee that reads property `field` of the argument (`None`
/// when the origin sits in another property of an object literal).
fn refined(origin: &Origin, field: Option<&str>) -> Option<Origin> {
    let mut origin = origin.clone();
    let Some(field) = field else {
        return Some(origin);
    };
    if let Some(at) = &origin.at_field {
        if &**at != field {
            return None;
        }
        origin.at_field = None;
        return Some(origin);
    }
    match &mut origin.source {
        Source::Tool {
            param,
            object: object @ true,
            known,
            scalar,
            ..
        } => {
            if !is_text_parameter(known, scalar, field) {
                return None;
            }
            *param = Rc::from(field);
            *object = false;
        }
        Source::Param {
            field: f @ None,
            object: object @ true,
            ..
        } => {
            *f = Some(Rc::from(field));
            *object = false;
        }
        _ => {}
    }
    Some(origin)
}

/// The union of `values` at no more than medium confidence.
fn medium_union(values: &[Value]) -> Value {
    Value::union(values.iter()).map_origins(|o| o.confidence = o.confidence.min(Confidence::Medium))
}
