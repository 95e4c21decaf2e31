//! One module per subcommand.

pub mod db;
pub mod rules;
pub mod scan;
