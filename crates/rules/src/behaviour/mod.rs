//! `AS109`–`AS111`: what a tool declares against what its handler does. These are
//! metadata-family rules (they judge the surface an agent is shown) that need code facts:
//! each handler's effects and the taint flows from its parameters.

mod annotation_contradiction;
mod declared;
mod parameter_exfiltration_channel;
mod undeclared_capability;

use crate::Rule;

/// Every rule of this module, in id order.
pub static RULES: &[&dyn Rule] = &[
    &annotation_contradiction::AnnotationContradiction,
    &undeclared_capability::UndeclaredCapability,
    &parameter_exfiltration_channel::ParameterExfiltrationChannel,
];
