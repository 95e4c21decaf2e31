//! One module per subcommand.

pub mod db;
pub mod keys;
pub mod rules;
pub mod scan;
pub mod serve;
