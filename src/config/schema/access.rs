//! Reading and writing one key's value in a record, as text (the form, `add`) and by kind
//! (the store's comparisons, `list --json`), so that no consumer matches on a key's name.

use std::ops::RangeInclusive;

use super::{Effective, Json, JsonValue, Key, Lens, Role, Slot};
use crate::config::{duration, validate};

/// Parses a duration as typed and checks it against `range`.
fn parse_duration(text: &str, range: &RangeInclusive<u32>) -> Result<u32, String> {
    duration::parse(text).and_then(|s| validate::duration_in(s, range.clone()).map(|()| s))
}

/// Splits the form's comma-separated list.
fn split_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// Reading and writing a key's value in a record, as text and by kind.
impl<R> Key<R> {
    /// True for a key every record must have.
    pub fn required(&self) -> bool {
        matches!(self.slot, Slot::Text(..))
    }

    /// The value as the form shows it (empty when unset).
    pub fn text(&self, record: &R) -> String {
        match &self.slot {
            Slot::Text(lens, _) => (lens.get)(record).clone(),
            Slot::OptText(lens, _) => (lens.get)(record).clone().unwrap_or_default(),
            Slot::Duration(lens, _) => (lens.get)(record)
                .map(|s| duration::format(u64::from(s)))
                .unwrap_or_default(),
            Slot::List(lens, _) => (lens.get)(record).join(", "),
            Slot::Bool(lens) => if *(lens.get)(record) { "true" } else { "" }.to_string(),
            Slot::OptBool(lens) => (lens.get)(record)
                .map(|b| b.to_string())
                .unwrap_or_default(),
        }
    }

    /// Checks `text` as typed (a list comma separated) and stores it in `record`.
    pub fn set_text(&self, record: &mut R, text: &str) -> Result<(), String> {
        match &self.slot {
            Slot::Text(lens, check) => {
                check(text)?;
                *(lens.get_mut)(record) = text.to_string();
            }
            Slot::OptText(lens, check) => {
                check(text)?;
                *(lens.get_mut)(record) = Some(text.to_string());
            }
            Slot::Duration(lens, range) => {
                *(lens.get_mut)(record) = Some(parse_duration(text, range)?)
            }
            Slot::List(..) => self.set_items(record, split_list(text))?,
            Slot::Bool(lens) => {
                *(lens.get_mut)(record) = match text {
                    "true" => true,
                    "false" | "" => false,
                    _ => return Err(format!("{} is not true or false", validate::quoted(text))),
                }
            }
            Slot::OptBool(lens) => {
                *(lens.get_mut)(record) = match text {
                    "true" => Some(true),
                    "false" => Some(false),
                    "" => None,
                    _ => return Err(format!("{} is not true or false", validate::quoted(text))),
                }
            }
        }
        Ok(())
    }

    /// Checks each item and stores the list (`add --tag A --tag B`, a TOML array); any other
    /// kind takes the last item as its text.
    pub fn set_items(&self, record: &mut R, items: Vec<String>) -> Result<(), String> {
        match &self.slot {
            Slot::List(lens, check) => {
                items.iter().try_for_each(|item| check(item))?;
                *(lens.get_mut)(record) = items;
                Ok(())
            }
            _ => items
                .last()
                .map_or(Ok(()), |text| self.set_text(record, text)),
        }
    }

    /// Unsets the key (a required text becomes empty).
    pub fn clear(&self, record: &mut R) {
        match &self.slot {
            Slot::Text(lens, _) => (lens.get_mut)(record).clear(),
            Slot::OptText(lens, _) => *(lens.get_mut)(record) = None,
            Slot::Duration(lens, _) => *(lens.get_mut)(record) = None,
            Slot::List(lens, _) => (lens.get_mut)(record).clear(),
            Slot::Bool(lens) => *(lens.get_mut)(record) = false,
            Slot::OptBool(lens) => *(lens.get_mut)(record) = None,
        }
    }

    /// True when `a` and `b` hold the same value for this key.
    pub fn same(&self, a: &R, b: &R) -> bool {
        fn eq<R, T: PartialEq>(lens: &Lens<R, T>, a: &R, b: &R) -> bool {
            (lens.get)(a) == (lens.get)(b)
        }
        match &self.slot {
            Slot::Text(lens, _) => eq(lens, a, b),
            Slot::OptText(lens, _) => eq(lens, a, b),
            Slot::Duration(lens, _) => eq(lens, a, b),
            Slot::List(lens, _) => eq(lens, a, b),
            Slot::Bool(lens) => eq(lens, a, b),
            Slot::OptBool(lens) => eq(lens, a, b),
        }
    }

    /// Copies this key's value from `from` into `to`.
    pub fn copy(&self, from: &R, to: &mut R) {
        fn copy<R, T: Clone>(lens: &Lens<R, T>, from: &R, to: &mut R) {
            *(lens.get_mut)(to) = (lens.get)(from).clone();
        }
        match &self.slot {
            Slot::Text(lens, _) => copy(lens, from, to),
            Slot::OptText(lens, _) => copy(lens, from, to),
            Slot::Duration(lens, _) => copy(lens, from, to),
            Slot::List(lens, _) => copy(lens, from, to),
            Slot::Bool(lens) => copy(lens, from, to),
            Slot::OptBool(lens) => copy(lens, from, to),
        }
    }

    /// The record's own value as JSON (`null` when unset).
    fn own_json<'r>(&self, record: &'r R) -> JsonValue<'r> {
        match &self.slot {
            Slot::Text(lens, _) => JsonValue::Text(Some((lens.get)(record))),
            Slot::OptText(lens, _) => JsonValue::Text((lens.get)(record).as_deref()),
            Slot::Duration(lens, _) => JsonValue::Number(*(lens.get)(record)),
            Slot::List(lens, _) => JsonValue::List((lens.get)(record)),
            Slot::Bool(lens) => JsonValue::Bool(Some(*(lens.get)(record))),
            Slot::OptBool(lens) => JsonValue::Bool(*(lens.get)(record)),
        }
    }
}

impl Key<Role> {
    /// The name and value `list --json` shows for this key of `role`.
    pub fn json_entry<'a>(
        &self,
        role: &'a Role,
        effective: &'a Effective,
    ) -> (&'static str, JsonValue<'a>) {
        match &self.json {
            Json::Own => (self.toml, self.own_json(role)),
            Json::InEffect(value) => (self.toml, value(effective)),
            Json::IsSet(name, is_set) => (name, JsonValue::Bool(Some(is_set(effective)))),
        }
    }
}
