//! The list screen's keys (filter, movement, actions on the selected role) and the windows
//! it opens that only take a key or two: the help, the delete confirmation and the offer to
//! copy a team role (which is read-only) into the user's own list.

use crossterm::event::KeyEvent;
use tui_input::InputRequest;

use super::{Effect, External};
use crate::tui::form::Form;
use crate::tui::keys::{self, Action, ConfirmAction, CopyAction, HelpAction, When};
use crate::tui::model::{Mode, Model, SwitchState};
use crate::tui::policy::PolicyView;
use crate::tui::status::Status;
use crate::tui::view;

pub(super) fn on_list_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    let filter_empty = model.filter.value().is_empty();
    let Some(action) = keys::LIST.action(&key, |when| when == When::FilterEmpty && filter_empty)
    else {
        return Vec::new();
    };
    let page = view::list_rows(model).max(1) as isize;
    match action {
        Action::TypeFilter => {
            if let Some(c) = keys::typed_char(&key) {
                edit_filter(model, InputRequest::InsertChar(c));
            }
        }
        Action::Up => model.move_selection(-1),
        Action::Down => model.move_selection(1),
        Action::PageUp => model.move_selection(-page),
        Action::PageDown => model.move_selection(page),
        Action::First => model.selected = 0,
        Action::Last => model.move_selection(isize::MAX),
        Action::FilterBackspace => edit_filter(model, InputRequest::DeletePrevChar),
        Action::FilterDeleteWord => edit_filter(model, InputRequest::DeletePrevWord),
        Action::FilterClear => edit_filter(model, InputRequest::DeleteLine),
        Action::FilterLeft => edit_filter(model, InputRequest::GoToPrevChar),
        Action::FilterRight => edit_filter(model, InputRequest::GoToNextChar),
        Action::Help => model.mode = Mode::Help,
        Action::Quit => model.quit = Some(0),
        Action::ClearOrQuit => {
            if filter_empty {
                model.quit = Some(0);
            } else {
                edit_filter(model, InputRequest::DeleteLine);
            }
        }
        Action::Add => {
            let partition = model.config.defaults.partition.as_deref();
            let form = Form::add(model.names()).in_partition(partition);
            model.mode = Mode::Form(Box::new(form));
        }
        Action::Edit => {
            if let Some(role) = model.selected_role().filter(|r| r.is_team()) {
                model.mode = Mode::ConfirmCopy {
                    name: role.name.clone(),
                };
            } else if let Some(role) = model.selected_role() {
                let form = Form::edit(role, model.names())
                    .in_partition(model.config.defaults.partition.as_deref());
                model.mode = Mode::Form(Box::new(form));
            }
        }
        Action::Delete => {
            if let Some(role) = model.selected_role().filter(|r| r.is_team()) {
                model.status = Status::error(format!(
                    "\"{}\" comes from the team source \"{}\", which switchrole only reads: \
                     it can be removed from that source's file, not here",
                    role.name,
                    role.source.as_deref().unwrap_or_default()
                ));
            } else if let Some(role) = model.selected_role() {
                model.mode = Mode::ConfirmDelete {
                    name: role.name.clone(),
                };
            }
        }
        Action::Favorite => return toggle_favorite(model),
        Action::Console => {
            if let Some(role) = model.selected_role() {
                return vec![Effect::RunExternal {
                    what: External::Console,
                    role: role.name.clone(),
                }];
            }
        }
        Action::Policy => {
            if let Some(role) = model.selected_role() {
                model.mode = Mode::Policy(PolicyView::new(&role.name));
            }
        }
        Action::Switch => {
            if let Some(role) = model.selected_role() {
                let role = role.name.clone();
                let id = model.new_request_id();
                model.switch = SwitchState::Assuming {
                    id,
                    role: role.clone(),
                };
                model.status = Status::Empty;
                model.warnings.clear();
                return vec![Effect::StartSwitch { id, role }];
            }
        }
    }
    Vec::new()
}

fn toggle_favorite(model: &Model) -> Vec<Effect> {
    let Some(role) = model.selected_role() else {
        return Vec::new();
    };
    let mut changed = role.clone();
    changed.favorite = !model.is_favorite(role);
    let notice = if changed.favorite {
        format!("\"{}\" is a favourite", role.name)
    } else {
        format!("\"{}\" is no longer a favourite", role.name)
    };
    if role.is_team() {
        // A team file is read-only: the favourite is the user's, in the state file.
        return vec![Effect::SaveTeamFavorite {
            name: role.name.clone(),
            favorite: changed.favorite,
            notice,
        }];
    }
    vec![Effect::SaveRole {
        original: Some(Box::new(role.clone())),
        role: Box::new(changed),
        notice,
    }]
}

fn edit_filter(model: &mut Model, request: InputRequest) {
    let changed = model
        .filter
        .handle(request)
        .is_some_and(|change| change.value);
    if changed {
        model.refilter();
    }
}

/// Pasted text types into the filter (control characters dropped).
pub(super) fn paste_into_filter(model: &mut Model, text: &str) {
    let mut changed = false;
    for c in text.chars().filter(|c| !c.is_control()) {
        changed |= model
            .filter
            .handle(InputRequest::InsertChar(c))
            .is_some_and(|s| s.value);
    }
    if changed {
        model.refilter();
    }
}

pub(super) fn on_help_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    match keys::HELP.action(&key, |_| false) {
        Some(HelpAction::Quit) => model.quit = Some(0),
        Some(HelpAction::Close) | None => model.mode = Mode::List,
    }
    Vec::new()
}

pub(super) fn on_confirm_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    let Mode::ConfirmDelete { name } = &model.mode else {
        return Vec::new();
    };
    let name = name.clone();
    match keys::CONFIRM_DELETE.action(&key, |_| false) {
        Some(ConfirmAction::Quit) => model.quit = Some(0),
        Some(ConfirmAction::Delete) => {
            model.mode = Mode::List;
            return vec![Effect::DeleteRole { name }];
        }
        Some(ConfirmAction::Keep) | None => {
            model.mode = Mode::List;
            model.status = Status::info("Nothing deleted");
        }
    }
    Vec::new()
}

/// The offer to copy a team role (Ctrl-E on one): yes opens the form on a copy for the
/// user's own list.
pub(super) fn on_copy_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    let Mode::ConfirmCopy { name } = &model.mode else {
        return Vec::new();
    };
    let name = name.clone();
    match keys::CONFIRM_COPY.action(&key, |_| false) {
        Some(CopyAction::Quit) => model.quit = Some(0),
        Some(CopyAction::Copy) => match model.role(&name).cloned() {
            Some(mut role) => {
                // The user's favourite goes with the copy.
                role.favorite = model.is_favorite(&role);
                // The copy may keep the team role's name: the user's own role then wins.
                let taken = model.names().into_iter().filter(|n| *n != name).collect();
                let form = Form::copy(&role, taken)
                    .in_partition(model.config.defaults.partition.as_deref());
                model.mode = Mode::Form(Box::new(form));
            }
            None => model.mode = Mode::List,
        },
        Some(CopyAction::Cancel) | None => {
            model.mode = Mode::List;
            model.status = Status::info("Nothing copied");
        }
    }
    Vec::new()
}
