//! The marker lines, profile names and quoting of `export aws-config`.

use super::*;

#[test]
fn profile_names_are_slugs() {
    assert_eq!(slug("Acme prod", "1"), "acme-prod");
    assert_eq!(slug("  Ωμέγα / 東京 ", "012345678901"), "role-012345678901");
    assert_eq!(slug("a.b@c+d_e", "1"), "a.b@c+d_e");
    assert_eq!(slug("it's \"quoted\"", "1"), "it-s-quoted");
}

#[test]
fn words_are_double_quoted_unless_special() {
    assert_eq!(command_word("Acme prod"), "\"Acme prod\"");
    assert_eq!(command_word("it's"), "'it'\\''s'");
    assert_eq!(command_word("No #1"), "'No '\\#'1'");
    assert_eq!(command_word("$HOME"), "'$HOME'");
}

#[test]
fn markers_out_of_order_are_refused_with_their_line() {
    let path = Path::new("/tmp/config");
    let cases: [(&str, usize); 3] = [
        ("a\n# BEGIN switchrole\nb\n", 2),
        ("# END switchrole\n", 1),
        (
            "# BEGIN switchrole\n# END switchrole\n# BEGIN switchrole\n# END switchrole\n",
            3,
        ),
    ];
    for (text, line) in cases {
        match split_around_block(text.as_bytes(), path) {
            Err(ExportError::Markers { line: at, .. }) => assert_eq!(at, line, "{text:?}"),
            other => panic!("{text:?}: {:?}", other.map(|_| ())),
        }
    }
}

#[test]
fn the_block_is_cut_out_exactly() {
    let text = b"[default]\r\nregion = x\r\n# BEGIN switchrole\nold\n# END switchrole\r\n\xff tail";
    let (before, after) = split_around_block(text, Path::new("c")).unwrap();
    assert_eq!(before, b"[default]\r\nregion = x\r\n");
    assert_eq!(after, b"\xff tail");
}
