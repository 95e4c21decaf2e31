//! typosquat (being written).
