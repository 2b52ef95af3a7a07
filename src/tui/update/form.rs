//! The add/edit form's keys ([`keys::FORM`]): moving between fields, editing the focused
//! one, the colour field's palette, save and cancel. What the fields are and how they are
//! checked is [`crate::tui::form`]'s business.

use crossterm::event::KeyEvent;
use tui_input::InputRequest;

use super::Effect;
use crate::tui::form::Field;
use crate::tui::keys::{self, FormAction, When};
use crate::tui::model::{Mode, Model};

pub(super) fn on_form_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    let Mode::Form(form) = &mut model.mode else {
        return Vec::new();
    };
    let on_color = form.field() == Field::Color;
    let Some(action) = keys::FORM.action(&key, |when| when == When::ColorField && on_color) else {
        return Vec::new();
    };
    let edit = match action {
        FormAction::Quit => {
            model.quit = Some(0);
            return Vec::new();
        }
        FormAction::Cancel => {
            model.mode = Mode::List;
            return Vec::new();
        }
        FormAction::Save => {
            let Some(role) = form.submit() else {
                return Vec::new();
            };
            let notice = match (&form.original, &form.copy_of) {
                (Some(_), _) => format!("Saved \"{}\"", role.name),
                (None, Some(team)) => format!(
                    "Copied \"{}\" into your own list as \"{}\"",
                    team.name, role.name
                ),
                (None, None) => format!("Added \"{}\"", role.name),
            };
            return vec![Effect::SaveRole {
                original: form.original.clone().map(Box::new),
                role: Box::new(role),
                notice,
            }];
        }
        FormAction::Next => {
            form.next_field();
            return Vec::new();
        }
        FormAction::Previous => {
            form.previous_field();
            return Vec::new();
        }
        FormAction::NextColor | FormAction::PreviousColor => {
            form.cycle_color(action == FormAction::NextColor);
            return Vec::new();
        }
        FormAction::Type => match keys::typed_char(&key) {
            Some(c) => InputRequest::InsertChar(c),
            None => return Vec::new(),
        },
        FormAction::DeleteBack => InputRequest::DeletePrevChar,
        FormAction::DeleteForward => InputRequest::DeleteNextChar,
        FormAction::Left => InputRequest::GoToPrevChar,
        FormAction::Right => InputRequest::GoToNextChar,
        FormAction::Start => InputRequest::GoToStart,
        FormAction::End => InputRequest::GoToEnd,
        FormAction::Clear => InputRequest::DeleteLine,
        FormAction::DeleteWord => InputRequest::DeletePrevWord,
    };
    form.edit_focused(edit);
    Vec::new()
}
