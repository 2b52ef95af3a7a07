//! The policies screen's keys ([`keys::POLICY`]): scrolling within the document at the
//! last known size, the other document, saving either or the role's CloudFormation
//! template to a file (an effect).

use crossterm::event::KeyEvent;

use super::Effect;
use crate::setup::template;
use crate::tui::keys::{self, PolicyAction};
use crate::tui::model::{Mode, Model};
use crate::tui::policy::{self, Document};
use crate::tui::status::Status;
use crate::tui::view;

pub(super) fn on_policy_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    let Some(action) = keys::POLICY.action(&key, |_| false) else {
        return Vec::new();
    };
    let (page, max) = match &model.mode {
        Mode::Policy(view) => view::policy_scroll_limits(model, view),
        _ => return Vec::new(),
    };
    let Mode::Policy(view) = &mut model.mode else {
        return Vec::new();
    };
    let page = page.max(1);
    match action {
        PolicyAction::Quit => model.quit = Some(0),
        PolicyAction::Close => model.mode = Mode::List,
        PolicyAction::OtherDocument => {
            view.document = view.document.other();
            view.scroll = 0;
        }
        PolicyAction::ScrollUp => view.scroll = view.scroll.saturating_sub(1),
        PolicyAction::ScrollDown => view.scroll = (view.scroll + 1).min(max),
        PolicyAction::PageUp => view.scroll = view.scroll.saturating_sub(page),
        PolicyAction::PageDown => view.scroll = view.scroll.saturating_add(page).min(max),
        PolicyAction::Top => view.scroll = 0,
        PolicyAction::Bottom => view.scroll = max,
        PolicyAction::SaveTrust => return save_policy(model, Document::Trust),
        PolicyAction::SavePermission => return save_policy(model, Document::Permission),
        PolicyAction::SaveTemplate => return save_template(model),
    }
    Vec::new()
}

/// The effect that writes `document` of the open policies screen's role to a file, or why
/// it cannot be written yet (the trust policy before the base identity is known).
fn save_policy(model: &mut Model, document: Document) -> Vec<Effect> {
    let Mode::Policy(view) = &model.mode else {
        return Vec::new();
    };
    let role = view.role.clone();
    let what = format!("the {} of \"{role}\"", document.title());
    let shown = model
        .role(&role)
        .map(|found| policy::shown(&model.config, &model.identity, found, document).body);
    match shown {
        Some(Ok(text)) => {
            return vec![Effect::SavePolicy {
                file_stem: policy::file_stem(&role, document),
                text,
                what,
            }];
        }
        Some(Err(why)) => model.status = Status::error(format!("Did not save {what}: {why}")),
        None => model.status = Status::error(format!("\"{role}\" is no longer in the list")),
    }
    Vec::new()
}

/// The effect that writes the open screen's role's CloudFormation template to a file, or
/// why it cannot be written yet (before the base identity is known).
fn save_template(model: &mut Model) -> Vec<Effect> {
    let Mode::Policy(view) = &model.mode else {
        return Vec::new();
    };
    let role = view.role.clone();
    let what = format!("the CloudFormation template of \"{role}\"");
    let template = model
        .role(&role)
        .map(|found| policy::template_text(&model.config, &model.identity, found, model.now));
    match template {
        Some(Ok(text)) => {
            return vec![Effect::SavePolicy {
                file_stem: template::file_stem(&role),
                text,
                what,
            }];
        }
        Some(Err(why)) => model.status = Status::error(format!("Did not save {what}: {why}")),
        None => model.status = Status::error(format!("\"{role}\" is no longer in the list")),
    }
    Vec::new()
}
