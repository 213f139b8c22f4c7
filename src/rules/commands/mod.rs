//! Rules of this area.

use super::Rule;

pub static RULES: &[&Rule] = &[];
