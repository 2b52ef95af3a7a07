//! The add/edit form (SPEC 5): one text input per role key that the schema
//! ([`crate::config::schema`]) gives a label, in its order, inline validation with the
//! schema's rules, a role ARN in the account field filling account ID and
//! role name, and the colour palette. Pure state: saving is an effect run by the app.

use std::sync::LazyLock;

use tui_input::{Input, InputRequest};

use crate::config::schema::{Key, ROLE_KEYS, role_key};
use crate::config::{DEFAULT_PARTITION, Role, color, validate};

/// One of the form's fields: a role key that has a form label in the schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field(&'static str);

/// The fields the form's logic names (the rest are only rows of the schema).
#[allow(non_upper_case_globals)]
impl Field {
    pub const Name: Field = Field("name");
    pub const Account: Field = Field("account_id");
    pub const RoleName: Field = Field("role_name");
    pub const Region: Field = Field("region");
    pub const Color: Field = Field("color");
    pub const Duration: Field = Field("duration");
}

/// The form's fields, in the schema's order (SPEC 5).
pub static FIELDS: LazyLock<Vec<Field>> = LazyLock::new(|| {
    ROLE_KEYS
        .iter()
        .filter(|k| k.form.is_some())
        .map(|k| Field(k.toml))
        .collect()
});

impl Field {
    /// The schema's row for this field.
    pub fn key(self) -> &'static Key<Role> {
        role_key(self.0).unwrap_or(&ROLE_KEYS[0])
    }

    pub fn label(self) -> &'static str {
        self.key().form.map_or(self.0, |(label, _)| label)
    }

    /// A hint shown while the field is focused.
    pub fn hint(self) -> &'static str {
        self.key().form.map_or("", |(_, hint)| hint)
    }

    fn required(self) -> bool {
        self.key().required()
    }

    /// The text the schema checks: trimmed, but a display name as typed (its rule refuses
    /// surrounding spaces).
    fn text(self, value: &str) -> &str {
        if self == Field::Name {
            value
        } else {
            value.trim()
        }
    }
}

/// The colour choices cycled with Up/Down: none, then the console's palette.
fn palette_names() -> Vec<&'static str> {
    std::iter::once("")
        .chain(color::PALETTE.iter().map(|(name, _)| *name))
        .collect()
}

/// The state of an open add/edit form.
#[derive(Debug, Clone)]
pub struct Form {
    /// The role being edited; `None` when adding.
    pub original: Option<Role>,
    /// The team role this new role is a copy of (SPEC 5: a team role is edited as a copy in
    /// the user's own list); its keys the form does not show are copied too.
    pub copy_of: Option<Role>,
    pub inputs: Vec<Input>,
    pub focus: usize,
    /// Fields left at least once (their "required" errors show from then on).
    pub touched: Vec<bool>,
    /// Set by a save attempt: every error shows from then on.
    pub submitted: bool,
    /// Display names already taken (other roles).
    pub taken_names: Vec<String>,
    /// An error from saving the file, shown until the next change.
    pub save_error: Option<String>,
    /// The partition of the config's role ARNs: a pasted ARN must be in it.
    pub partition: String,
}

impl Form {
    /// An empty form to add a role.
    pub fn add(taken_names: Vec<String>) -> Form {
        Form {
            original: None,
            copy_of: None,
            inputs: vec![Input::default(); FIELDS.len()],
            focus: 0,
            touched: vec![false; FIELDS.len()],
            submitted: false,
            taken_names,
            save_error: None,
            partition: DEFAULT_PARTITION.to_string(),
        }
    }

    /// A form filled with `role`'s own keys (not the defaults).
    pub fn edit(role: &Role, taken_names: Vec<String>) -> Form {
        let values = FIELDS.iter().map(|f| f.key().text(role));
        Form {
            original: Some(role.clone()),
            copy_of: None,
            inputs: values.into_iter().map(Input::new).collect(),
            focus: 0,
            touched: vec![true; FIELDS.len()],
            submitted: false,
            taken_names: taken_names
                .into_iter()
                .filter(|n| *n != role.name)
                .collect(),
            save_error: None,
            partition: DEFAULT_PARTITION.to_string(),
        }
    }

    /// A form that adds a copy of the team role `role` to the user's own list, filled with its
    /// keys; the copy may keep the name (the user's own role then hides the team's).
    pub fn copy(role: &Role, taken_names: Vec<String>) -> Form {
        let mut copy = role.clone();
        copy.source = None;
        copy.line = 0;
        let mut form = Form::edit(&copy, taken_names);
        form.original = None;
        form.copy_of = Some(copy);
        form
    }

    /// The form for a config whose role ARNs are in `partition`.
    pub fn in_partition(mut self, partition: Option<&str>) -> Form {
        self.partition = partition.unwrap_or(DEFAULT_PARTITION).to_string();
        self
    }

    pub fn field(&self) -> Field {
        FIELDS[self.focus.min(FIELDS.len() - 1)]
    }

    pub fn value(&self, field: Field) -> &str {
        self.inputs
            .get(index_of(field))
            .map(Input::value)
            .unwrap_or("")
    }

    fn set_value(&mut self, field: Field, value: String) {
        if let Some(input) = self.inputs.get_mut(index_of(field)) {
            *input = Input::new(value);
        }
    }

    /// Edits the focused input.
    pub fn edit_focused(&mut self, request: InputRequest) {
        if let Some(input) = self.inputs.get_mut(self.focus) {
            input.handle(request);
        }
        self.save_error = None;
    }

    /// Pasted text goes into the focused field (newlines dropped); a role ARN pasted into
    /// the account field fills account ID and role name at once.
    pub fn paste(&mut self, text: &str) {
        let text: String = text.chars().filter(|c| !c.is_control()).collect();
        for c in text.chars() {
            self.edit_focused(InputRequest::InsertChar(c));
        }
        if self.field() == Field::Account {
            self.expand_role_arn();
        }
    }

    /// Fills account ID and role name when the account field holds a role ARN.
    pub fn expand_role_arn(&mut self) -> bool {
        match validate::role_arn_in(self.value(Field::Account), &self.partition) {
            Ok(Some((account, role_name))) => {
                self.set_value(Field::Account, account);
                self.set_value(Field::RoleName, role_name);
                true
            }
            _ => false,
        }
    }

    fn leave_field(&mut self) {
        if let Some(t) = self.touched.get_mut(self.focus) {
            *t = true;
        }
        if self.field() == Field::Account {
            self.expand_role_arn();
        }
    }

    /// Tab.
    pub fn next_field(&mut self) {
        self.leave_field();
        self.focus = (self.focus + 1) % FIELDS.len();
    }

    /// Shift-Tab.
    pub fn previous_field(&mut self) {
        self.leave_field();
        self.focus = (self.focus + FIELDS.len() - 1) % FIELDS.len();
    }

    /// Up/Down on the colour field: the next (or previous) palette colour.
    pub fn cycle_color(&mut self, forward: bool) {
        let names = palette_names();
        let current = self.value(Field::Color).trim().to_ascii_lowercase();
        let position = names.iter().position(|n| *n == current);
        let next = match (position, forward) {
            (Some(i), true) => (i + 1) % names.len(),
            (Some(i), false) => (i + names.len() - 1) % names.len(),
            (None, true) => 1,
            (None, false) => names.len() - 1,
        };
        self.set_value(Field::Color, names[next].to_string());
        self.save_error = None;
    }

    /// The error of `field`'s current value, if it has one (empty optional fields are fine).
    pub fn check(&self, field: Field) -> Result<(), String> {
        let value = self.value(field).trim();
        if value.is_empty() {
            return if field.required() {
                Err("is required".into())
            } else {
                Ok(())
            };
        }
        if field == Field::Account && validate::role_arn_in(value, &self.partition)?.is_some() {
            return Ok(());
        }
        field
            .key()
            .set_text(&mut Role::default(), field.text(self.value(field)))?;
        if field == Field::Name && self.taken_names.iter().any(|n| n == value) {
            return Err(format!(
                "a role named {} exists already",
                validate::quoted(value)
            ));
        }
        Ok(())
    }

    /// The error to show next to `field` now: invalid text as soon as it is typed; a missing
    /// required value once the field was left or a save was tried.
    pub fn shown_error(&self, field: Field) -> Option<String> {
        let index = index_of(field);
        let err = self.check(field).err()?;
        let empty = self.value(field).trim().is_empty();
        if empty && !self.submitted && !self.touched.get(index).copied().unwrap_or(false) {
            return None;
        }
        Some(err)
    }

    /// Tries to save: the role to write, or focuses the first invalid field.
    pub fn submit(&mut self) -> Option<Role> {
        self.expand_role_arn();
        self.submitted = true;
        if let Some(first) = FIELDS.iter().position(|f| self.check(*f).is_err()) {
            self.focus = first;
            return None;
        }
        Some(self.role())
    }

    /// The role as the form stands (call after a successful `check` of every field); keys
    /// the form does not show keep the edited role's values.
    fn role(&self) -> Role {
        let mut role = self
            .original
            .clone()
            .or_else(|| self.copy_of.clone())
            .unwrap_or_default();
        for field in FIELDS.iter() {
            let key = field.key();
            let text = field.text(self.value(*field));
            if text.trim().is_empty() || key.set_text(&mut role, text).is_err() {
                key.clear(&mut role);
            }
        }
        role
    }
}

fn index_of(field: Field) -> usize {
    FIELDS.iter().position(|f| *f == field).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn type_text(form: &mut Form, text: &str) {
        for c in text.chars() {
            form.edit_focused(InputRequest::InsertChar(c));
        }
    }

    #[test]
    fn a_pasted_role_arn_fills_account_and_role() {
        let mut form = Form::add(vec![]);
        form.next_field();
        form.paste("arn:aws:iam::012345678901:role/path/Admin\n");
        assert_eq!(form.value(Field::Account), "012345678901");
        assert_eq!(form.value(Field::RoleName), "path/Admin");
    }

    #[test]
    fn a_typed_role_arn_fills_on_leaving_the_field() {
        let mut form = Form::add(vec![]);
        form.next_field();
        type_text(&mut form, "arn:aws:iam::012345678901:role/Ops");
        assert_eq!(form.value(Field::RoleName), "");
        form.next_field();
        assert_eq!(form.value(Field::Account), "012345678901");
        assert_eq!(form.value(Field::RoleName), "Ops");
        assert_eq!(form.field(), Field::RoleName);
    }

    #[test]
    fn validation_is_inline_and_save_focuses_the_first_error() {
        let mut form = Form::add(vec!["Taken".into()]);
        assert_eq!(form.shown_error(Field::Name), None, "untouched and empty");
        type_text(&mut form, "Taken");
        assert!(form.shown_error(Field::Name).unwrap().contains("exists"));
        form.edit_focused(InputRequest::DeleteLine);
        type_text(&mut form, "Acme");
        form.next_field();
        type_text(&mut form, "1234");
        assert!(form.shown_error(Field::Account).is_some(), "shown as typed");
        assert!(form.submit().is_none());
        assert_eq!(form.field(), Field::Account);
        form.edit_focused(InputRequest::DeleteLine);
        type_text(&mut form, "123456789012");
        assert!(form.submit().is_none());
        assert_eq!(form.field(), Field::RoleName);
        type_text(&mut form, "Admin");
        form.focus = 8;
        type_text(&mut form, "10m");
        assert!(form.submit().is_none(), "600 s is below the minimum");
        assert_eq!(form.field(), Field::Duration);
        form.edit_focused(InputRequest::DeleteLine);
        type_text(&mut form, "1h");
        form.next_field();
        type_text(&mut form, "prod, eu");
        let role = form.submit().unwrap();
        assert_eq!(role.name, "Acme");
        assert_eq!(role.duration, Some(3600));
        assert_eq!(role.tags, vec!["prod", "eu"]);
    }

    #[test]
    fn colour_cycles_through_the_palette() {
        let mut form = Form::add(vec![]);
        form.focus = 4;
        form.cycle_color(true);
        assert_eq!(form.value(Field::Color), "red");
        form.cycle_color(false);
        assert_eq!(form.value(Field::Color), "");
        form.cycle_color(false);
        assert_eq!(form.value(Field::Color), "blue");
    }

    #[test]
    fn editing_keeps_keys_the_form_does_not_show() {
        let role = Role {
            name: "A".into(),
            account_id: "123456789012".into(),
            role_name: "R".into(),
            session_name: Some("me".into()),
            favorite: true,
            duration: Some(5400),
            ..Role::default()
        };
        let mut form = Form::edit(&role, vec!["A".into(), "B".into()]);
        assert_eq!(form.value(Field::Duration), "1h30m");
        let saved = form.submit().unwrap();
        assert_eq!(saved.session_name.as_deref(), Some("me"));
        assert!(saved.favorite);
        assert_eq!(saved.duration, Some(5400));
    }

    #[test]
    fn an_arn_from_another_partition_is_refused() {
        let mut form = Form::add(vec![]).in_partition(None);
        form.next_field();
        form.paste("arn:aws-cn:iam::123456789012:role/Admin");
        assert_eq!(form.value(Field::RoleName), "", "not expanded");
        let error = form.check(Field::Account).unwrap_err();
        assert!(error.contains("partition aws-cn"), "{error}");
        let mut china = Form::add(vec![]).in_partition(Some("aws-cn"));
        china.next_field();
        china.paste("arn:aws-cn:iam::123456789012:role/Admin");
        assert_eq!(china.value(Field::Account), "123456789012");
        assert_eq!(china.value(Field::RoleName), "Admin");
    }
}
