//! deps (being written).
