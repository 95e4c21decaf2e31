//! AS2xx: handler code — taint from tool parameters and remote data to dangerous sinks.
//!
//! Every rule here reads the package's taint flows ([`crate::taint`]) and claims the sink
//! kinds (and source kinds) it is about; [`flow_rule`] does the shared work of collapsing
//! flows into findings with their data-flow paths.

mod argument_injection;
mod code_evaluation;
mod command_injection;
mod credentials_to_caller_host;
mod flow_rule;
mod path_traversal;
mod remote_data_to_execution;
mod server_side_request_forgery;
mod sql_injection;
mod template_injection;
mod unsafe_deserialization;

use crate::Rule;

/// Every rule of this family.
pub static RULES: &[&dyn Rule] = &[
    &command_injection::CommandInjection,
    &argument_injection::ArgumentInjection,
    &code_evaluation::CodeEvaluation,
    &path_traversal::PathTraversal,
    &server_side_request_forgery::ServerSideRequestForgery,
    &sql_injection::SqlInjection,
    &template_injection::TemplateInjection,
    &unsafe_deserialization::UnsafeDeserialization,
    &credentials_to_caller_host::CredentialsToCallerHost,
    &remote_data_to_execution::RemoteDataToExecution,
];
