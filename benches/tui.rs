//! TUI speed with 10,000 remembered roles (SPEC 9, issue 3): the first frame (model built
//! from the config, then drawn on a `TestBackend` at 80x24), and one filter keystroke
//! (update + redraw). Both must stay under 16 ms. Run with `cargo bench --bench tui`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use switchrole::config::{Config, Defaults, Role};
use switchrole::state::{Usage, UsageState};
use switchrole::tui::model::Model;
use switchrole::tui::theme::Theme;
use switchrole::tui::update::{Msg, update};
use switchrole::tui::view;

const ROLES: usize = 10_000;
const WORDS: [&str; 16] = [
    "acme",
    "globex",
    "initech",
    "umbrella",
    "hooli",
    "stark",
    "wayne",
    "wonka",
    "tyrell",
    "cyberdyne",
    "soylent",
    "aperture",
    "oscorp",
    "vandelay",
    "dunder",
    "pied",
];
const STAGES: [&str; 4] = ["prod", "staging", "dev", "sandbox"];
const ROLE_NAMES: [&str; 4] = [
    "Admin",
    "ReadOnly",
    "ops/Deployer",
    "OrganizationAccountAccessRole",
];

fn config() -> Config {
    let roles = (0..ROLES)
        .map(|i| Role {
            name: format!(
                "{} {} {i:05}",
                WORDS[i % WORDS.len()],
                STAGES[(i / WORDS.len()) % STAGES.len()]
            ),
            account_id: format!("{:012}", 100_000_000_000u64 + (i as u64) * 7919),
            role_name: ROLE_NAMES[i % ROLE_NAMES.len()].to_string(),
            color: (i % 3 == 0).then(|| "blue".to_string()),
            tags: vec![STAGES[i % STAGES.len()].to_string()],
            favorite: i % 500 == 0,
            ..Role::default()
        })
        .collect();
    Config {
        path: "/tmp/switchrole-bench/config.toml".into(),
        exists: true,
        defaults: Defaults {
            region: Some("eu-west-1".into()),
            ..Defaults::default()
        },
        roles,
        ..Config::default()
    }
}

fn usage(config: &Config) -> UsageState {
    let mut usage = UsageState::default();
    for (i, role) in config.roles.iter().enumerate().step_by(37) {
        usage.roles.insert(
            role.name.clone(),
            Usage {
                last_used: 1_800_000_000 + i as u64,
                count: 1,
            },
        );
    }
    usage
}

fn terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(80, 24)).expect("test terminal")
}

fn model_with_filter(config: &Config, usage: &UsageState, filter: &str) -> Model {
    let mut model = Model::new(config.clone(), usage.clone(), Theme::colored());
    for c in filter.chars() {
        let _ = update(
            &mut model,
            Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
        );
    }
    model
}

fn benches(c: &mut Criterion) {
    let config = config();
    let usage = usage(&config);

    c.bench_function("first frame, 10k roles (model + draw)", |b| {
        b.iter_batched(
            || (config.clone(), usage.clone(), terminal()),
            |(config, usage, mut terminal)| {
                let model = Model::new(config, usage, Theme::colored());
                terminal
                    .draw(|frame| view::draw(frame, &model))
                    .expect("draw");
                black_box(model.visible.len())
            },
            BatchSize::LargeInput,
        );
    });

    for (name, before, typed) in [
        ("first filter keystroke + redraw, 10k roles", "", 'a'),
        ("third filter keystroke + redraw, 10k roles", "ac", 'm'),
        ("keystroke matching nothing + redraw, 10k roles", "acm", 'z'),
    ] {
        c.bench_function(name, |b| {
            b.iter_batched(
                || {
                    let model = model_with_filter(&config, &usage, before);
                    let mut terminal = terminal();
                    terminal
                        .draw(|frame| view::draw(frame, &model))
                        .expect("draw");
                    (model, terminal)
                },
                |(mut model, mut terminal)| {
                    let key = KeyEvent::new(KeyCode::Char(typed), KeyModifiers::NONE);
                    let _ = update(&mut model, Msg::Key(key));
                    terminal
                        .draw(|frame| view::draw(frame, &model))
                        .expect("draw");
                    black_box(model.visible.len())
                },
                BatchSize::LargeInput,
            );
        });
    }

    c.bench_function("move selection + redraw, 10k roles", |b| {
        let mut model = model_with_filter(&config, &usage, "");
        let mut terminal = terminal();
        b.iter(|| {
            let key = KeyEvent::new(KeyCode::Down, KeyModifiers::NONE);
            let _ = update(&mut model, Msg::Key(key));
            terminal
                .draw(|frame| view::draw(frame, &model))
                .expect("draw");
            black_box(model.selected)
        });
    });
}

criterion_group! {
    name = tui;
    config = Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    targets = benches
}
criterion_main!(tui);
