//! Scopes of transitive dependencies, for lockfiles that record the graph but not
//! per-package flags: a package takes the most significant scope of the direct
//! dependencies it is reachable from.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;

use super::common::scope_rank;

/// Walks `edges` from `roots` (direct dependencies and their scopes). Each package is
/// visited once: roots are walked in order of scope significance, so what a runtime
/// root reaches is runtime even if a development root reaches it too.
pub(super) fn scopes<K: Hash + Eq + Clone>(
    mut roots: Vec<(K, &'static str)>,
    edges: &HashMap<K, Vec<K>>,
) -> HashMap<K, &'static str> {
    roots.sort_by_key(|(_, scope)| scope_rank(scope));
    let mut assigned: HashMap<K, &'static str> = HashMap::new();
    let mut queue = VecDeque::new();
    let mut start = 0;
    while start < roots.len() {
        let scope = roots[start].1;
        let end = start
            + roots[start..]
                .iter()
                .take_while(|(_, s)| *s == scope)
                .count();
        for (root, _) in &roots[start..end] {
            if !assigned.contains_key(root) {
                assigned.insert(root.clone(), scope);
                queue.push_back(root.clone());
            }
        }
        while let Some(node) = queue.pop_front() {
            for next in edges.get(&node).into_iter().flatten() {
                if !assigned.contains_key(next) {
                    assigned.insert(next.clone(), scope);
                    queue.push_back(next.clone());
                }
            }
        }
        start = end;
    }
    assigned
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deps::common::{DEV, OPTIONAL, RUNTIME};

    #[test]
    fn runtime_reachability_wins_and_cycles_end() {
        let edges: HashMap<&str, Vec<&str>> = [
            ("app", vec!["shared", "cyc"]),
            ("cyc", vec!["app"]),
            ("jest", vec!["shared", "only-dev"]),
            ("opt", vec!["opt-child"]),
        ]
        .into_iter()
        .collect();
        let scopes = scopes(
            vec![("jest", DEV), ("opt", OPTIONAL), ("app", RUNTIME)],
            &edges,
        );
        assert_eq!(scopes["shared"], RUNTIME);
        assert_eq!(scopes["cyc"], RUNTIME);
        assert_eq!(scopes["only-dev"], DEV);
        assert_eq!(scopes["opt-child"], OPTIONAL);
        assert_eq!(scopes.len(), 7);
    }
}
