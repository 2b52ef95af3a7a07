//! The plain reader ([`plain`]) held to the `toml` crate's full parse, on tricky cases, on
//! generated plain files and on damaged ones: whatever the plain reader accepts the full
//! parse reads the same (the same tables, keys, values and places, and an equal
//! [`Config`]), whatever the full parse rejects the plain reader leaves to it, and
//! [`parse`] answers exactly as the full parse does.

use super::plain_files::plain_file;
use super::tests::{XorShift, mutate};
use super::*;
use crate::config::plain::Section;

fn path() -> &'static Path {
    Path::new("/tmp/config.toml")
}

/// The tables of the full parse, a line for each table and each field.
fn full_outline(text: &str) -> Option<Vec<String>> {
    let doc = DeTable::parse(text).ok()?;
    let lines = Lines::new(text);
    let mut out = Vec::new();
    for (name, value) in doc.get_ref() {
        let name = name.get_ref().as_ref();
        let tables: Vec<&Spanned<DeValue>> = match (name, value.get_ref()) {
            ("defaults", DeValue::Table(_)) => vec![value],
            ("roles" | "sources", DeValue::Array(items)) => items.iter().collect(),
            _ => {
                out.push(format!("something else: {name}"));
                continue;
            }
        };
        for table in tables {
            let Some(fields) = table.get_ref().as_table() else {
                out.push(format!("not a table in {name}"));
                continue;
            };
            let (line, column) = lines.position(table.span().start);
            out.push(format!("[{name}] at {line}:{column}"));
            let mut fields: Vec<_> = fields.iter().collect();
            fields.sort_by_key(|(key, _)| key.span().start);
            for (key, value) in fields {
                out.push(format!(
                    "{}@{} = {}@{}",
                    key.get_ref(),
                    key.span().start,
                    full_value(value.get_ref()),
                    value.span().start
                ));
            }
        }
    }
    Some(out)
}

fn full_value(value: &DeValue) -> String {
    match value {
        DeValue::String(text) => format!("{text:?}"),
        DeValue::Integer(n) => integer(n.as_str(), n.radix()),
        DeValue::Boolean(flag) => flag.to_string(),
        DeValue::Array(items) => {
            let items: Vec<String> = items.iter().map(|i| full_value(i.get_ref())).collect();
            format!("[{}]", items.join(", "))
        }
        _ => "something else".into(),
    }
}

fn integer(digits: &str, radix: u32) -> String {
    i64::from_str_radix(digits, radix).map_or_else(|_| format!("{digits}?"), |n| n.to_string())
}

/// The plain reader's tables in the same terms, `None` when it leaves `text` to the full
/// parse (the full parse's tables come by name: `[defaults]`, the roles, the sources).
fn plain_outline(text: &str) -> Option<Vec<String>> {
    let mut sections: [Vec<String>; 3] = Default::default();
    plain::read(text, |section, table| {
        let (name, out) = match section {
            Section::Defaults => ("defaults", &mut sections[0]),
            Section::Role => ("roles", &mut sections[1]),
            Section::Source => ("sources", &mut sections[2]),
        };
        let Table::Plain { header, fields } = table else {
            panic!("the plain reader gave a parsed table");
        };
        out.push(format!("[{name}] at {}:{}", header.line, header.column));
        for field in fields {
            let value = match &field.value {
                Scalar::Text(text) => format!("{text:?}"),
                Scalar::Integer(digits, radix) => integer(digits, *radix),
                Scalar::Bool(flag) => flag.to_string(),
                Scalar::List(Items::Plain(array)) => {
                    let items: Vec<String> = array.items().map(|i| format!("{i:?}")).collect();
                    format!("[{}]", items.join(", "))
                }
                other => panic!("the plain reader gave {other:?}"),
            };
            let (key, value_at) = (field.key, field.value_at);
            out.push(format!("{key}@{} = {value}@{value_at}", field.key_at));
        }
        Some(())
    })?;
    Some(sections.concat())
}

/// All of a config, to compare (`Config` itself has no `PartialEq`).
fn parts(config: &Config) -> (&Path, bool, &Defaults, &[Role], &Team) {
    let Config {
        path,
        exists,
        defaults,
        roles,
        team,
    } = config;
    (path, *exists, defaults, roles, team)
}

/// How many inputs went which way.
#[derive(Debug, Default)]
struct Tally {
    inputs: usize,
    /// Read by the plain reader (valid config or not).
    plain_read: usize,
    /// Loaded by the plain path: read and valid.
    plain_loaded: usize,
    /// Rejected by the `toml` crate.
    not_toml: usize,
}

/// Holds the two readers to each other on `text`; true when the plain path loaded it.
fn agree(text: &str, tally: &mut Tally) -> bool {
    tally.inputs += 1;
    let toml_reads = DeTable::parse(text).is_ok();
    tally.not_toml += usize::from(!toml_reads);
    if let Some(outline) = plain_outline(text) {
        tally.plain_read += 1;
        assert!(
            toml_reads,
            "the plain reader took what toml rejects: {text:?}"
        );
        assert_eq!(Some(outline), full_outline(text), "{text:?}");
    }
    let full = parse_full(text, path());
    let plain = parse_plain(text, path());
    if let Some(config) = &plain {
        tally.plain_loaded += 1;
        assert_eq!(
            full.as_ref().ok().map(parts),
            Some(parts(config)),
            "{text:?}"
        );
    }
    let answer = format!("{:?}", parse(text, path()));
    assert_eq!(answer, format!("{full:?}"), "{text:?}");
    plain.is_some()
}

/// The differential test: generated plain files, the same damaged, and the damaged example
/// config. Prints how many inputs took the plain path.
#[test]
fn the_plain_path_reads_every_file_as_the_full_parse_does() {
    let example = include_str!("../../../config.example.toml");
    let mut rng = XorShift(0x0dd_ba11_5eed);
    let (mut generated, mut damaged, mut example_damaged) =
        (Tally::default(), Tally::default(), Tally::default());
    for _ in 0..6_000 {
        let text = plain_file(&mut rng, false);
        agree(&text, &mut generated);
        agree(&mutate(&text, &mut rng), &mut damaged);
        agree(&mutate(example, &mut rng), &mut example_damaged);
    }
    println!("generated plain files: {generated:?}");
    println!("generated, then damaged: {damaged:?}");
    println!("config.example.toml damaged: {example_damaged:?}");
    assert!(
        agree(example, &mut Tally::default()),
        "the example is plain"
    );
    let share = generated.plain_loaded * 100 / generated.inputs;
    assert!(
        share >= 75,
        "most generated files take the plain path: {generated:?}"
    );
    assert!(
        generated.plain_loaded < generated.inputs,
        "some do not: {generated:?}"
    );
    assert!(
        damaged.plain_read > 1_000,
        "damage often leaves a plain file: {damaged:?}"
    );
    assert!(damaged.not_toml > 1_000, "and often breaks it: {damaged:?}");
}

/// The way `text` is read: `Some(config)` by the plain path, `None` by the full parse only
/// (then its answer, checked to agree, is in the second place).
fn case(text: &str) -> (Option<Config>, Result<Config, ConfigError>) {
    let mut tally = Tally::default();
    agree(text, &mut tally);
    (parse_plain(text, path()), parse_full(text, path()))
}

const ROLE: &str = "account_id = \"012345678901\"\nrole_name = \"Admin\"\n";

fn role_named(name_line: &str, rest: &str) -> String {
    format!("[[roles]]\n{name_line}\n{ROLE}{rest}")
}

#[test]
fn strings_comments_and_blanks() {
    let (config, _) = case(&role_named("name = \"a # b\" # c", ""));
    assert_eq!(config.unwrap().roles[0].name, "a # b");
    let (config, _) = case(&role_named("name=\"v\"#c", ""));
    assert_eq!(config.unwrap().roles[0].name, "v");
    let (config, _) = case(&format!(
        "[[roles]] # the first\nname = 'say \"hi\"'  \t\n{ROLE}"
    ));
    assert_eq!(config.unwrap().roles[0].name, "say \"hi\"");
    let (config, _) = case(&role_named("name = \"O'Brien\"   ", ""));
    assert_eq!(config.unwrap().roles[0].name, "O'Brien");
    let tab = role_named("name = \"tab\there\"", "");
    let (config, full) = case(&tab);
    assert!(
        plain_outline(&tab).is_some(),
        "TOML allows a tab in a string"
    );
    assert!(config.is_none(), "the schema does not, in a name");
    assert!(
        matches!(full, Err(ConfigError::Invalid { line: 2, .. })),
        "{full:?}"
    );
    let (config, full) = case(&role_named("name = \"a\\\"b\"", ""));
    assert!(config.is_none(), "an escape is left to the full parse");
    assert_eq!(full.unwrap().roles[0].name, "a\"b");
    let (config, full) = case(&role_named("name = \"\"\"A\"\"\"", ""));
    assert!(config.is_none() && full.is_ok(), "a multi-line string too");
    let (config, full) = case(&format!("# \u{7f}\n{}", role_named("name = \"A\"", "")));
    assert!(config.is_none() && matches!(full, Err(ConfigError::Parse { .. })));
}

#[test]
fn integers_as_toml_writes_them() {
    let with = |duration: &str| {
        case(&role_named(
            "name = \"A\"",
            &format!("duration = {duration}\n"),
        ))
    };
    assert_eq!(with("+3600").0.unwrap().roles[0].duration, Some(3600));
    assert_eq!(
        with("3600 # one hour").0.unwrap().roles[0].duration,
        Some(3600)
    );
    let (config, full) = with("-900");
    assert!(config.is_none() && matches!(full, Err(ConfigError::Invalid { .. })));
    for not_toml in ["0900", "+-900", "09", "1__0", "_1"] {
        let (config, full) = with(not_toml);
        assert!(config.is_none(), "{not_toml}");
        assert!(
            matches!(full, Err(ConfigError::Parse { .. })),
            "{not_toml}: {full:?}"
        );
    }
    for other_toml in ["1_000", "0x384"] {
        let (config, full) = with(other_toml);
        assert!(config.is_none() && full.is_ok(), "{other_toml}: {full:?}");
    }
}

#[test]
fn arrays_of_texts() {
    let with = |tags: &str| case(&role_named("name = \"A\"", &format!("tags = {tags}\n")));
    assert_eq!(with("[]").0.unwrap().roles[0].tags, Vec::<String>::new());
    assert_eq!(with("[\"a\",]").0.unwrap().roles[0].tags, ["a"]);
    assert_eq!(
        with("[ 'a,b' ,\t\"c]\" ]").0.unwrap().roles[0].tags,
        ["a,b", "c]"]
    );
    for not_toml in ["[,]", "[\"a\",,]", "[\"a\" \"b\"]", "[\"a\""] {
        let (config, full) = with(not_toml);
        assert!(config.is_none() && full.is_err(), "{not_toml}");
    }
    let (config, full) = with("[\n\"a\",\n]");
    assert!(
        config.is_none() && full.is_ok(),
        "a multi-line array is left to the full parse"
    );
}

#[test]
fn whole_files() {
    let (config, _) = case("");
    let full = parse_full("", path()).unwrap();
    assert_eq!(parts(&config.unwrap()), parts(&full));
    let (config, _) = case(&role_named("name = \"A\"", "favorite = true").replace('\n', "\r\n"));
    let config = config.unwrap();
    assert!(config.roles[0].favorite, "CRLF, and no newline at the end");
    let (config, full) = case(&role_named("name = \"A\"", "").replace("\n", "\r"));
    assert!(
        config.is_none() && full.is_err(),
        "a lone CR is not a newline"
    );
    let bom = format!("\u{feff}{}", role_named("name = \"A\"", ""));
    let (config, full) = case(&bom);
    assert!(
        config.is_none(),
        "a byte order mark is left to the full parse"
    );
    assert_eq!(full.unwrap().roles[0].line, 1, "which reads past it");
    let (config, full) = case(&role_named("name = \"A\"", "name = \"B\"\n"));
    assert!(config.is_none() && matches!(full, Err(ConfigError::Parse { .. })));
    let (config, full) = case("[defaults]\n[defaults]\n");
    assert!(config.is_none() && matches!(full, Err(ConfigError::Parse { .. })));
    let (config, full) = case("region = \"x\"\n[defaults]\n");
    assert!(config.is_none() && full.is_err(), "a key before any header");
    let inline = "roles = [{ name = \"A\", account_id = \"012345678901\", role_name = \"R\" }]";
    let (config, full) = case(inline);
    assert!(
        config.is_none() && full.unwrap().roles.len() == 1,
        "an inline table"
    );
    let (config, full) = case("[ defaults ]\nregion = \"eu-west-1\"\n");
    assert!(
        config.is_none() && full.is_ok(),
        "a header written with blanks inside"
    );
    let (config, full) = case("[defaults.x]\n");
    assert!(config.is_none() && full.is_err(), "a dotted header");
    let (config, full) = case(&format!(
        "  [[roles]]\nname = \"A\"\n{ROLE}\n[[roles]]\n{ROLE}"
    ));
    assert!(config.is_none(), "a mistake is left to the full parse");
    assert!(
        full.unwrap_err().to_string().contains(":6:1:"),
        "which names its place"
    );
}
