//! The add/edit form (SPEC 5): one text input per role field in a fixed order, inline
//! validation with the core's rules, a role ARN in the account field filling account ID and
//! role name, and the colour palette. Pure state: saving is an effect run by the app.

use tui_input::{Input, InputRequest};

use crate::config::{Role, color, duration, validate};

/// The form's fields, in SPEC order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Name,
    Account,
    RoleName,
    Region,
    Color,
    ExternalId,
    MfaSerial,
    SourceProfile,
    Duration,
    Tags,
}

pub const FIELDS: [Field; 10] = [
    Field::Name,
    Field::Account,
    Field::RoleName,
    Field::Region,
    Field::Color,
    Field::ExternalId,
    Field::MfaSerial,
    Field::SourceProfile,
    Field::Duration,
    Field::Tags,
];

impl Field {
    pub fn label(self) -> &'static str {
        match self {
            Field::Name => "Display name",
            Field::Account => "Account ID",
            Field::RoleName => "Role name",
            Field::Region => "Region",
            Field::Color => "Colour",
            Field::ExternalId => "External ID",
            Field::MfaSerial => "MFA serial",
            Field::SourceProfile => "Source profile",
            Field::Duration => "Duration",
            Field::Tags => "Tags",
        }
    }

    /// A hint shown while the field is focused.
    pub fn hint(self) -> &'static str {
        match self {
            Field::Name => "how the role shows in the list, e.g. \"Acme prod\"",
            Field::Account => "12 digits, or paste a role ARN to fill account and role name",
            Field::RoleName => "the role in the client account, may carry a path: ops/Admin",
            Field::Region => "optional, e.g. eu-west-1",
            Field::Color => "optional: Up/Down pick red, orange, yellow, green, blue; or #rrggbb",
            Field::ExternalId => "optional, when the client's trust policy requires one",
            Field::MfaSerial => "optional: arn:aws:iam::123456789012:mfa/NAME",
            Field::SourceProfile => "optional AWS profile for the base credentials",
            Field::Duration => "optional, e.g. 1h, 45m or 3600 (900 s to 12 h)",
            Field::Tags => "optional, comma separated; searched by the filter",
        }
    }

    fn required(self) -> bool {
        matches!(self, Field::Name | Field::Account | Field::RoleName)
    }
}

/// The colour choices cycled with Up/Down: none, then the console's palette.
fn palette_names() -> Vec<&'static str> {
    std::iter::once("")
        .chain(color::PALETTE.iter().map(|(name, _)| *name))
        .collect()
}

/// The partition when the config names none.
const DEFAULT_PARTITION: &str = "aws";

/// The state of an open add/edit form.
#[derive(Debug, Clone)]
pub struct Form {
    /// The role being edited; `None` when adding.
    pub original: Option<Role>,
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
        let values = [
            role.name.clone(),
            role.account_id.clone(),
            role.role_name.clone(),
            role.region.clone().unwrap_or_default(),
            role.color.clone().unwrap_or_default(),
            role.external_id.clone().unwrap_or_default(),
            role.mfa_serial.clone().unwrap_or_default(),
            role.source_profile.clone().unwrap_or_default(),
            role.duration
                .map(|d| duration::format(u64::from(d)))
                .unwrap_or_default(),
            role.tags.join(", "),
        ];
        Form {
            original: Some(role.clone()),
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
        match validate::split_role_arn(self.value(Field::Account)) {
            Some((partition, account, role_name)) if partition == self.partition => {
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
        match field {
            Field::Name => {
                validate::display_name(self.value(field))?;
                if self.taken_names.iter().any(|n| n == value) {
                    return Err(format!("a role named \"{value}\" exists already"));
                }
                Ok(())
            }
            Field::Account => match validate::split_role_arn(value) {
                Some((partition, ..)) if partition != self.partition => Err(format!(
                    "this ARN is in the partition {partition}, but the config's roles are in \
                     {} (set `partition` in [defaults])",
                    self.partition
                )),
                Some(_) => Ok(()),
                None => validate::account_id(value),
            },
            Field::RoleName => validate::role_name(value),
            Field::Region => validate::region(value),
            Field::Color => color::parse(value).map(|_| ()),
            Field::ExternalId => validate::external_id(value),
            Field::MfaSerial => validate::mfa_serial(value),
            Field::SourceProfile => validate::profile_name(value),
            Field::Duration => duration::parse(value)
                .and_then(|s| validate::duration_in(s, validate::ROLE_DURATION_RANGE)),
            Field::Tags => split_tags(value).iter().try_for_each(|t| validate::tag(t)),
        }
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

    /// The role as the form stands (call after a successful `check` of every field).
    fn role(&self) -> Role {
        let opt = |field| {
            let value = self.value(field).trim();
            (!value.is_empty()).then(|| value.to_string())
        };
        let base = self.original.clone().unwrap_or_default();
        Role {
            name: self.value(Field::Name).to_string(),
            account_id: self.value(Field::Account).trim().to_string(),
            role_name: self.value(Field::RoleName).trim().to_string(),
            region: opt(Field::Region),
            color: opt(Field::Color),
            external_id: opt(Field::ExternalId),
            mfa_serial: opt(Field::MfaSerial),
            source_profile: opt(Field::SourceProfile),
            duration: opt(Field::Duration).and_then(|d| duration::parse(&d).ok()),
            tags: split_tags(self.value(Field::Tags)),
            ..base
        }
    }
}

fn index_of(field: Field) -> usize {
    FIELDS.iter().position(|f| *f == field).unwrap_or(0)
}

fn split_tags(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
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
