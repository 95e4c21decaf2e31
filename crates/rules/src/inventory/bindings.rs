//! Names bound while an extractor expands a loop over a literal table or inlines a
//! helper call: a stack of bindings, innermost last, shadowing outer ones.

/// The names bound so far, each to a value of type `B`.
#[derive(Debug, Clone)]
pub struct Bindings<'t, B> {
    vars: Vec<(&'t str, B)>,
}

impl<B> Default for Bindings<'_, B> {
    fn default() -> Self {
        Bindings { vars: Vec::new() }
    }
}

impl<'t, B> Bindings<'t, B> {
    /// Binds `name`, shadowing earlier bindings.
    pub fn bind(&mut self, name: &'t str, value: B) {
        self.vars.push((name, value));
    }

    /// The innermost binding of `name`.
    pub fn get(&self, name: &str) -> Option<&B> {
        self.vars
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inner_bindings_shadow_outer_ones() {
        let mut env = Bindings::default();
        env.bind("x", 1);
        env.bind("y", 2);
        env.bind("x", 3);
        assert_eq!(env.get("x"), Some(&3));
        assert_eq!(env.get("y"), Some(&2));
        assert_eq!(env.get("z"), None);
    }
}
